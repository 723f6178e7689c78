"""Rules as pure functions: data and parameters in, result (with its reasons) out."""

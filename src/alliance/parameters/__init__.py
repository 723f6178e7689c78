"""The law as data: one YAML file per rule value, dated by the fiscal year it governs, cited.

A parameter's name is its path under this folder with dots (``designation/lowest_count.yaml`` is
``designation.lowest_count``). Its ``values`` are keyed by the first day of the fiscal year from
which each value applies (FY2023 starts 2022-07-01); the value in force for a fiscal year is the
latest one dated on or before that year's July 1.
"""

from alliance.parameters.loader import Parameter, Parameters, load_parameters

__all__ = ["Parameter", "Parameters", "load_parameters"]

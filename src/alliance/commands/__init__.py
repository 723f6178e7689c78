"""CLI command groups; each module has ``register(app)``. Add new groups to COMMAND_MODULES."""

from alliance.commands import data_cmd, params_cmd

COMMAND_MODULES = [data_cmd, params_cmd]

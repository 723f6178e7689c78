"""CLI command groups; each module has ``register(app)``. Add new groups to COMMAND_MODULES."""

from alliance.commands import data_cmd, designate_cmd, ecs_cmd, evaluate_cmd, params_cmd

COMMAND_MODULES = [data_cmd, params_cmd, evaluate_cmd, designate_cmd]
COMMAND_MODULES.append(ecs_cmd)

from alliance.commands import policy_cmd  # noqa: E402

COMMAND_MODULES.append(policy_cmd)

from alliance.commands import index_cmd  # noqa: E402

COMMAND_MODULES.append(index_cmd)

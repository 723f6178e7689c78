"""CLI command groups; each module has ``register(app)``. Add new groups to COMMAND_MODULES."""

from alliance.commands import (
    data_cmd,
    designate_cmd,
    ecs_cmd,
    evaluate_cmd,
    index_cmd,
    params_cmd,
    policy_cmd,
)

COMMAND_MODULES = [data_cmd, params_cmd, index_cmd, designate_cmd, ecs_cmd, evaluate_cmd, policy_cmd]

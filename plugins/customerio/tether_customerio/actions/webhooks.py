"""(Being written.)"""

ACTIONS = ()

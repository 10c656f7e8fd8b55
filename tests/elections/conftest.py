"""公推直选 runs every ballot through the engine: its tests use the engine's fixtures."""

from tests.ballots.conftest import *  # noqa: F403

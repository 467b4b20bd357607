"""google_ads raw tables (work in progress)."""

from finstack.generator.world import World


def simulate(world: World) -> None:
    """Add this source's world tables."""

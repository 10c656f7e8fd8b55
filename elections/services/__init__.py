"""Every write of 公推直选, by step; each ballot goes through the engine (ballots.services)."""

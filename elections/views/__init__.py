"""Thin HTTP handlers of 公推直选: fetch and check (selectors), call a service, render or redirect."""

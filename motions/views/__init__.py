"""Thin HTTP handlers of the motions app: fetch and check (selectors), call a service, redirect."""

"""Thin HTTP handlers: fetch and check (selectors), call a service, render or redirect."""

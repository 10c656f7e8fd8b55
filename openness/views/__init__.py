"""Thin HTTP handlers: fetch through the scope (404 hidden, 403 forbidden), call a service, redirect."""

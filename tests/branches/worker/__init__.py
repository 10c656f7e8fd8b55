"""What the reminder engine's integration test runs in a real Celery worker process (test_reminders.py)."""

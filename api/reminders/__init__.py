"""Agency reminders and people's follow-ups: the scheduler inside `serve`, "done" marking, the
coordinator's status view and the calendar feed. What is due comes from `content.deadlines`."""

"""The web pages, one router per group: ``start`` (sign in and out, the home page),
``engagements``, ``returns`` (a year's return and what changed), ``targets`` (a target's
quarters, officers' forms and timeline), ``registers`` (milestones, risks, take-up) and
``audit`` (verification)."""

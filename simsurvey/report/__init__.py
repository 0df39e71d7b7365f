"""The report stage: the whole methodology critique of a report (``simsurvey critique``), its terminal views, ``check-ratio`` and ``new-catalog``."""

"""The shipped catalogue, installed as ``simsurvey.data`` (see README.md in this folder)."""

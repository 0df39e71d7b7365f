"""Stage 3, synthetic respondents that reproduce a resolved survey's published figures."""

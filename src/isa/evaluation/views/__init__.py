"""Evaluation pages: questionnaires (tablet, paper, declined), results of a person and of
the group, the effects grid, health indicators, instrument files."""

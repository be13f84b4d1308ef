"""Collecting answers: questionnaire versions, links, validation, anonymisation, storage."""

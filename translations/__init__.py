"""Message catalogues (nn, en; nb is the source language), installed as surveyapp.translations."""

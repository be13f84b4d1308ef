"""Reports: counts aggregated in SQL, disclosure control, and the renderings of them."""

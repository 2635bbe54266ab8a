"""Item pipelines, in order: normalise, validate, deduplicate, then store through core's writer."""

"""The Vietnamese text layer: readers, normalisation, sentences and words, forms and sections, time."""

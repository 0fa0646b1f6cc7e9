-- A number in a message, six significant digits (Python's '{:g}').
CREATE OR REPLACE TEMP MACRO rec_g(x) AS printf('%g', x)

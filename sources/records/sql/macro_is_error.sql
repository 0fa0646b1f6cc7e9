-- An Excel error value: marked so by the workbook reader, or its text in a CSV exported from Excel.
CREATE OR REPLACE TEMP MACRO rec_is_error(t, ty) AS
    ty = 'e' OR (ty = 's' AND contains(t, '#') AND rec_strip(t) IN (
        '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!',
        '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#EXTERNAL!', '#PYTHON!'))

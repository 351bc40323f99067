# Import seeds at and just past the file importers' limits
# (lib/org_file.h: CBC__FILE_MAX_FIELD, 64 KiB in one CSV field;
# CBC__FILE_MAX_ELEMENT, 1 MiB in one JSON array element).  About 2.2 MB in
# all, so they are generated into the build tree instead of committed.
set(CBC_FUZZ_MAX_FIELD 65536)
set(CBC_FUZZ_MAX_ELEMENT 1048576)

# A units CSV whose second row's name is @p bytes long.
function(cbc_fuzz_csv_field path bytes)
  string(REPEAT "n" ${bytes} long)
  file(WRITE ${path} "external_id,kind,name\nE,enterprise,x\nF,enterprise,${long}\n")
endfunction()

# A units JSON array whose second element is @p bytes long (padded with
# spaces inside the object, so at the limit it is still valid).
function(cbc_fuzz_json_element path bytes)
  set(head "{\"external_id\":\"F\",\"kind\":\"enterprise\",\"name\":\"y\"")
  string(LENGTH "${head}}" fixed)
  math(EXPR pad "${bytes} - ${fixed}")
  string(REPEAT " " ${pad} spaces)
  file(WRITE ${path}
    "[{\"external_id\":\"E\",\"kind\":\"enterprise\",\"name\":\"x\"},${head}${spaces}}]")
endfunction()

# Texts at and past the text limits (external ids 64, names and titles 300,
# reward texts 2000, long texts 8000 bytes), with a line break and a tab.
function(cbc_fuzz_write_text_seeds dir)
  foreach(bytes 64 65 300 301 2000 2001 8000 8001)
    math(EXPR fill "${bytes} - 2")
    string(REPEAT "t" ${fill} body)
    file(WRITE ${dir}/length-${bytes}.txt "\n${body}\t")
  endforeach()
endfunction()

function(cbc_fuzz_write_big_seeds dir)
  math(EXPR over_field "${CBC_FUZZ_MAX_FIELD} + 1")
  math(EXPR over_element "${CBC_FUZZ_MAX_ELEMENT} + 1")
  set(stamp ${dir}.done-${CBC_FUZZ_MAX_FIELD}-${CBC_FUZZ_MAX_ELEMENT})
  if(EXISTS ${stamp})
    return()
  endif()
  file(REMOVE_RECURSE ${dir})
  cbc_fuzz_csv_field(${dir}/field-at-limit.csv ${CBC_FUZZ_MAX_FIELD})
  cbc_fuzz_csv_field(${dir}/field-over-limit.csv ${over_field})
  cbc_fuzz_json_element(${dir}/element-at-limit.json ${CBC_FUZZ_MAX_ELEMENT})
  cbc_fuzz_json_element(${dir}/element-over-limit.json ${over_element})
  file(WRITE ${stamp} "")
endfunction()

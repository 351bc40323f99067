# Installation: libraries, headers, cbc.pc and the CMake package.
include(CMakePackageConfigHelpers)

install(TARGETS cbc cbc_static EXPORT cbcTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/cbc.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/cbc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

# A relocatable cbc.pc: the prefix is found from the file's own place.
file(RELATIVE_PATH CBC_PC_RELATIVE_PREFIX
  ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CBC_PC_RELATIVE_PREFIX "${CBC_PC_RELATIVE_PREFIX}")
configure_file(cmake/cbc.pc.in ${PROJECT_BINARY_DIR}/cbc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cbc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(CBC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cbc)
install(EXPORT cbcTargets NAMESPACE cbc:: DESTINATION ${CBC_CMAKE_DIR})
configure_package_config_file(cmake/cbcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cbcConfig.cmake INSTALL_DESTINATION ${CBC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cbcConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cbcConfig.cmake ${PROJECT_BINARY_DIR}/cbcConfigVersion.cmake
  DESTINATION ${CBC_CMAKE_DIR})

# What `cmake --install` puts in place besides the binary, and the .deb that `cpack` makes of it (included from
# the top CMakeLists.txt: paths are relative to the sources).

install(DIRECTORY catalog workloads topologies scenarios DESTINATION "${CMAKE_INSTALL_DATADIR}/dtsim")
# Where the installed examples' yaml-language-server lines look for it.
install(FILES docs/scenario.schema.json DESTINATION "${CMAKE_INSTALL_DATADIR}/dtsim/docs")
install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES tools/completion/dtsim.bash DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
        RENAME dtsim)

# A man page per subcommand, written by help2man from the program's own --help.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_folder "${CMAKE_BINARY_DIR}/man")
  add_custom_command(
    OUTPUT "${man_folder}/dtsim.1"
    COMMAND "${PROJECT_SOURCE_DIR}/tools/make-man-pages.sh" "$<TARGET_FILE:dtsim>" "${man_folder}" "${PROJECT_VERSION}"
    DEPENDS dtsim tools/make-man-pages.sh
    COMMENT "Writing the man pages")
  add_custom_target(man_pages ALL DEPENDS "${man_folder}/dtsim.1")
  install(DIRECTORY "${man_folder}/" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(WARNING "help2man not found (tools/install-deps.sh installs it): the install has no man pages")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dtsim)
set(CPACK_PACKAGE_CONTACT "dtsim developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Discrete-event simulator of distributed data-parallel deep-learning training, on SimGrid")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # the runtime libraries' packages, found by dpkg-shlibdeps
include(CPack)

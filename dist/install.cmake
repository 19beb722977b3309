# `cmake --install build [--prefix P]` and `cpack -G DEB` (run in build/): the binary (in
# CMakeLists.txt), every canned tool scripts/*.bt (executable: each starts with
# `#!/usr/bin/env tracelet`), every man page (man/tracelet.8, man/man8/*.8), the bash
# completion and the vim files. New scripts and pages are picked up on the next configure.
include(GNUInstallDirs)

file(GLOB TRACELET_TOOLS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/scripts/*.bt)
install(PROGRAMS ${TRACELET_TOOLS} DESTINATION ${CMAKE_INSTALL_DATADIR}/tracelet/tools)

file(GLOB TRACELET_MAN_PAGES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.8
     ${CMAKE_SOURCE_DIR}/man/man8/*.8)
install(FILES ${TRACELET_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)

install(FILES ${CMAKE_SOURCE_DIR}/dist/bash-completion/tracelet
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_SOURCE_DIR}/dist/vim/ftdetect/bt.vim
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vim/vimfiles/ftdetect)
install(FILES ${CMAKE_SOURCE_DIR}/dist/vim/syntax/bt.vim
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vim/vimfiles/syntax)

# The .deb: Depends computed by dpkg-shlibdeps from the libraries the binary links (LLVM and
# bcc's loader are linked statically); no maintainer scripts (nothing to start or register).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tracelet)
set(CPACK_PACKAGE_CONTACT "tracelet maintainers <tracelet@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "bpftrace-compatible tracing language, compiler and runtime, with canned tools")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_STRIP_FILES bin/tracelet)
include(CPack)

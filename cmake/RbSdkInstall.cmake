# The installable connector SDK (SPEC §13.1): `cmake --install <build> --component sdk
# --prefix P` puts everything a third party needs to build a connector outside this tree:
#   P/include/{sdk,abi,protocol,base,arrow,pgwire,nlohmann}/...   headers, same include paths
#   P/lib/rapidbyte-sdk/wasm32/librapidbyte_sdk.a           one wasm32 archive (merged below)
#   P/lib/cmake/RapidbyteSDK/                               find_package(RapidbyteSDK)
# Included from the top-level CMakeLists after sdk/ and src/ have defined the wasm libraries.
include(CMakePackageConfigHelpers)

# The portable libraries a connector links, merged into one archive so the package names
# one file (their member names do not collide: one .o per source file, all distinct).
# pgwire is the PostgreSQL client a connector runs over sdk/host_stream.h.
set(RB_SDK_BUNDLE_LIBS rb_sdk_wasm rb_protocol_wasm rb_base_wasm rb_arrow_wasm rb_arrow_ipc_wasm
  rb_pgwire_wasm)
set(RB_SDK_BUNDLE ${RB_WASM_OUTPUT_DIR}/sdk/librapidbyte_sdk.a)
set(bundle_inputs)
foreach(lib IN LISTS RB_SDK_BUNDLE_LIBS)
  get_target_property(archive ${lib} RB_WASM_ARCHIVE)
  list(APPEND bundle_inputs ${archive})
endforeach()
add_custom_command(
  OUTPUT ${RB_SDK_BUNDLE}
  COMMAND ${CMAKE_COMMAND} -DAR=${RB_WASM_AR} -DOUT=${RB_SDK_BUNDLE} "-DLIBS=${bundle_inputs}"
          -P ${PROJECT_SOURCE_DIR}/cmake/rb_merge_archives.cmake
  DEPENDS ${bundle_inputs} ${RB_SDK_BUNDLE_LIBS} ${PROJECT_SOURCE_DIR}/cmake/rb_merge_archives.cmake
  COMMENT "wasm32 archive librapidbyte_sdk.a (the installable SDK)"
  VERBATIM)
add_custom_target(rapidbyte_sdk ALL DEPENDS ${RB_SDK_BUNDLE})

# Headers: the SDK's own and the portable headers they and connector code include,
# excluding test-only ones.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk/ DESTINATION include/sdk COMPONENT sdk
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/abi/rapidbyte_abi.h DESTINATION include/abi COMPONENT sdk)
foreach(dir protocol base arrow pgwire)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/src/${dir}/ DESTINATION include/${dir} COMPONENT sdk
    FILES_MATCHING PATTERN "*.h" PATTERN "*test*" EXCLUDE)
endforeach()
# nlohmann/json is header-only; copying it keeps /usr/include (glibc headers that would
# shadow wasi-libc's) off an out-of-tree connector's include path.
install(DIRECTORY /usr/include/nlohmann DESTINATION include COMPONENT sdk)

install(FILES ${RB_SDK_BUNDLE} DESTINATION lib/rapidbyte-sdk/wasm32 COMPONENT sdk)

write_basic_package_version_file(${PROJECT_BINARY_DIR}/RapidbyteSDKConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_SOURCE_DIR}/cmake/sdk/RapidbyteSDKConfig.cmake
  ${PROJECT_SOURCE_DIR}/cmake/sdk/RapidbyteCheckConnector.cmake
  ${PROJECT_BINARY_DIR}/RapidbyteSDKConfigVersion.cmake
  DESTINATION lib/cmake/RapidbyteSDK COMPONENT sdk)

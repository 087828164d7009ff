// The macros that turn a connector class into a module (SPEC §4.5): one per role, used once
// at file scope, followed by a semicolon:
//
//   class MySource : public rb::sdk::Source { ... };
//   RB_SOURCE(MySource);
//
// Each generates rb_open, rb_validate, rb_close and the role's calls (rb_discover +
// rb_run_read, rb_run_write, rb_run_transform) over one instance of the class, constructed
// on the first call. rb_abi_version, rb_allocate and rb_deallocate come from the SDK
// library itself. The JSON call convention (request parsing, the ConnectorResult envelope,
// packing the response) lives in the functions below, not in the macro.
#pragma once

#include <cstdint>
#include <type_traits>

#include "sdk/connector.h"
#include "sdk/destination.h"
#include "sdk/source.h"
#include "sdk/transform.h"

namespace rapidbyte {
namespace sdk::internal {

std::int64_t CallOpen(Connector& c, std::uint32_t ptr, std::uint32_t len);
std::int64_t CallValidate(Connector& c, std::uint32_t ptr, std::uint32_t len);
std::int32_t CallClose(Connector& c);
std::int64_t CallDiscover(Source& c, std::uint32_t ptr, std::uint32_t len);
std::int64_t CallRead(Source& c, std::uint32_t ptr, std::uint32_t len);
std::int64_t CallWrite(Destination& c, std::uint32_t ptr, std::uint32_t len);
std::int64_t CallTransform(Transform& c, std::uint32_t ptr, std::uint32_t len);

}  // namespace sdk::internal
}  // namespace rapidbyte

/// SPEC §13.1 spells the SDK rb::sdk.
namespace rb = rapidbyte;

#define RB_SDK_EXPORT_(name, ret, call)                                                           \
  extern "C" __attribute__((export_name(#name))) ret name(std::uint32_t ptr, std::uint32_t len) { \
    return ::rapidbyte::sdk::internal::call(RbSdkConnector(), ptr, len);                          \
  }

// The instance and the exports of every role; the role macros add theirs.
#define RB_SDK_COMMON_(Class)                                                   \
  static Class& RbSdkConnector() {                                              \
    static Class instance;                                                      \
    return instance;                                                            \
  }                                                                             \
  RB_SDK_EXPORT_(rb_open, std::int64_t, CallOpen)                               \
  RB_SDK_EXPORT_(rb_validate, std::int64_t, CallValidate)                       \
  extern "C" __attribute__((export_name("rb_close"))) std::int32_t rb_close() { \
    return ::rapidbyte::sdk::internal::CallClose(RbSdkConnector());             \
  }

#define RB_SDK_SOURCE_CALLS_                              \
  RB_SDK_EXPORT_(rb_discover, std::int64_t, CallDiscover) \
  RB_SDK_EXPORT_(rb_run_read, std::int64_t, CallRead)
#define RB_SDK_DESTINATION_CALLS_ RB_SDK_EXPORT_(rb_run_write, std::int64_t, CallWrite)
#define RB_SDK_TRANSFORM_CALLS_ RB_SDK_EXPORT_(rb_run_transform, std::int64_t, CallTransform)

// The trailing static_assert takes the semicolon after the macro and names the mistake of
// passing a class of the wrong role.
#define RB_SOURCE(Class)                                            \
  RB_SDK_COMMON_(Class)                                             \
  RB_SDK_SOURCE_CALLS_                                              \
  static_assert(std::is_base_of_v<::rapidbyte::sdk::Source, Class>, \
                "RB_SOURCE needs a class derived from rb::sdk::Source")

#define RB_DESTINATION(Class)                                            \
  RB_SDK_COMMON_(Class)                                                  \
  RB_SDK_DESTINATION_CALLS_                                              \
  static_assert(std::is_base_of_v<::rapidbyte::sdk::Destination, Class>, \
                "RB_DESTINATION needs a class derived from rb::sdk::Destination")

#define RB_TRANSFORM(Class)                                            \
  RB_SDK_COMMON_(Class)                                                \
  RB_SDK_TRANSFORM_CALLS_                                              \
  static_assert(std::is_base_of_v<::rapidbyte::sdk::Transform, Class>, \
                "RB_TRANSFORM needs a class derived from rb::sdk::Transform")

/// A connector declaring both the source and the destination role in its manifest (a class
/// derived from both Source and Destination).
#define RB_SOURCE_AND_DESTINATION(Class)                                     \
  RB_SDK_COMMON_(Class)                                                      \
  RB_SDK_SOURCE_CALLS_                                                       \
  RB_SDK_DESTINATION_CALLS_                                                  \
  static_assert(std::is_base_of_v<::rapidbyte::sdk::Source, Class> &&        \
                    std::is_base_of_v<::rapidbyte::sdk::Destination, Class>, \
                "RB_SOURCE_AND_DESTINATION needs a class derived from Source and Destination")

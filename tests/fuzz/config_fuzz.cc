// Fuzz target: the pipeline loader (YAML parsing, substitution, typing, validation) must
// report problems for any input, never crash, leak or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using rapidbyte::config::LoadOptions;
  LoadOptions options;
  options.env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "HOME") return std::string("/home/fuzz");
    if (name.size() % 2 == 0) return std::string("5432");  // some variables set, some not
    return std::nullopt;
  };
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto purpose : {rapidbyte::config::LoadPurpose::kRun,
                       rapidbyte::config::LoadPurpose::kDiscover}) {
    options.purpose = purpose;
    auto result = rapidbyte::config::LoadPipelineText(text, "fuzz.yaml", options);
    (void)result.Message();
  }
  return 0;
}

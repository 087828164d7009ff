// Plugin host benchmarks (issue "WebAssembly plugin host"): loading a translated connector,
// a host-call round trip, emit -> next throughput of 1 MiB frames between two instances, and
// the wasm/native CPU ratio of the same compute kernel. Run from the bench build:
//   build/bench/bench/plugin_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "connectors/testing/compute_kernel.h"
#include "plugin/instance.h"
#include "plugin/module.h"

namespace rapidbyte::plugin {
namespace {

std::string So(const char* name) {
  return std::string(RB_BUILD_DIR) + "/connectors/" + name + ".so";
}

HostContext Host(HostContext::Role role) {
  HostContext host;
  host.connector_id = "rapidbyte/test-bench";
  host.connector_version = "0.1.0";
  host.stage = role == HostContext::Role::kSource ? "source" : "destination";
  host.role = role;
  return host;
}

std::unique_ptr<Instance> NewInstance(const std::shared_ptr<Module>& module, HostContext host) {
  auto instance = Instance::Create(module, std::move(host));
  if (!instance.ok()) std::abort();
  return std::move(*instance);
}

// dlopen of the native code plus instantiation (what a stream attempt pays per connector).
void BM_LoadAndInstantiate(benchmark::State& state) {
  for (auto _ : state) {
    auto module = Module::Load(So("test-sequence"), "test-sequence");
    if (!module.ok()) std::abort();
    auto instance = NewInstance(*module, Host(HostContext::Role::kSource));
    benchmark::DoNotOptimize(instance.get());
  }
}
BENCHMARK(BM_LoadAndInstantiate)->Unit(benchmark::kMillisecond);

// One host call from the guest and back: n calls per iteration.
void BM_HostCallRoundTrip(benchmark::State& state) {
  auto module = *Module::Load(So("test-bench"), "test-bench");
  auto instance = NewInstance(module, Host(HostContext::Role::kSource));
  constexpr int kCalls = 1'000'000;
  const std::string request = R"({"mode":"calls","n":)" + std::to_string(kCalls) + "}";
  for (auto _ : state) {
    auto r = instance->CallJson(Export::kRunRead, request);
    if (!r.ok()) std::abort();
  }
  state.SetItemsProcessed(state.iterations() * kCalls);
}
BENCHMARK(BM_HostCallRoundTrip)->Unit(benchmark::kMillisecond);

// Frames of 1 MiB from a source instance to a destination instance on two threads.
void BM_EmitNext1MiB(benchmark::State& state) {
  auto module = *Module::Load(So("test-bench"), "test-bench");
  constexpr int kFrames = 256;
  constexpr int kFrameBytes = 1 << 20;
  for (auto _ : state) {
    auto cancel = std::make_shared<CancellationToken>();
    FrameChannel channel(4, cancel);
    HostContext src = Host(HostContext::Role::kSource);
    src.output = &channel;
    HostContext dst = Host(HostContext::Role::kDestination);
    dst.input = &channel;
    auto source = NewInstance(module, std::move(src));
    auto sink = NewInstance(module, std::move(dst));
    std::thread consumer([&] {
      if (!sink->CallJson(Export::kRunWrite, "{}").ok()) std::abort();
    });
    const std::string request = R"({"mode":"emit","n":)" + std::to_string(kFrames) +
                                R"(,"size":)" + std::to_string(kFrameBytes) + "}";
    if (!source->CallJson(Export::kRunRead, request).ok()) std::abort();
    channel.Finish();
    consumer.join();
  }
  state.SetBytesProcessed(state.iterations() * std::int64_t{kFrames} * kFrameBytes);
}
BENCHMARK(BM_EmitNext1MiB)->Unit(benchmark::kMillisecond)->UseRealTime();

constexpr std::uint32_t kKernelN = 1 << 16;
constexpr std::uint32_t kKernelRounds = 400;

void BM_ComputeNative(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(testing_connectors::ComputeKernel(kKernelN, kKernelRounds));
  }
}
BENCHMARK(BM_ComputeNative)->Unit(benchmark::kMillisecond);

void BM_ComputeWasm(benchmark::State& state) {
  auto module = *Module::Load(So("test-bench"), "test-bench");
  auto instance = NewInstance(module, Host(HostContext::Role::kSource));
  const std::string request = R"({"mode":"compute","n":)" + std::to_string(kKernelN) +
                              R"(,"rounds":)" + std::to_string(kKernelRounds) + "}";
  const std::string expected =
      std::to_string(testing_connectors::ComputeKernel(kKernelN, kKernelRounds));
  for (auto _ : state) {
    auto r = instance->CallJson(Export::kRunRead, request);
    if (!r.ok() || r->find(expected) == std::string::npos) std::abort();  // same result
  }
}
BENCHMARK(BM_ComputeWasm)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rapidbyte::plugin

BENCHMARK_MAIN();

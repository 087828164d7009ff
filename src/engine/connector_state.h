// ConnectorStateStore: the plugin host's StateStore for one instance, backed by the run's
// state backend (SPEC §6.4): scope 0 is shared by the pipeline, scope 1 by the stream's
// connectors, scope 2 by one configured connector ("<stage>:<connector id>") across streams.
// Writes are held to a quota per scope (plugin/limits.h): a connector cannot fill the
// state store's disk.
#pragma once

#include <string>

#include "plugin/host_context.h"
#include "plugin/limits.h"
#include "state/state_backend.h"

namespace rapidbyte::engine {

class ConnectorStateStore final : public plugin::StateStore {
 public:
  ConnectorStateStore(state::StateBackend* backend, std::string pipeline, std::string stream,
                      std::string instance_key)
      : backend_(backend),
        pipeline_(std::move(pipeline)),
        stream_(std::move(stream)),
        instance_key_(std::move(instance_key)) {}

  Result<std::optional<std::string>> Get(int scope, const std::string& key) override {
    return backend_->GetValue(pipeline_, Scope(scope), ScopeKey(scope), key);
  }
  Status Put(int scope, const std::string& key, const std::string& value) override {
    RB_RETURN_NOT_OK(CheckQuota(scope, key, value));
    return backend_->PutValue(pipeline_, Scope(scope), ScopeKey(scope), key, value);
  }
  Result<bool> CompareAndSet(int scope, const std::string& key,
                             const std::optional<std::string>& expected,
                             const std::string& value) override {
    RB_RETURN_NOT_OK(CheckQuota(scope, key, value));
    return backend_->CompareAndSetValue(pipeline_, Scope(scope), ScopeKey(scope), key, expected, value);
  }

 private:
  // The host function has already rejected scopes other than 0-2.
  static state::Scope Scope(int scope) { return static_cast<state::Scope>(scope); }
  const std::string& ScopeKey(int scope) const {
    static const std::string kEmpty;
    return scope == 0 ? kEmpty : scope == 1 ? stream_ : instance_key_;
  }

  // ResourceExhausted (STATE_QUOTA_EXCEEDED to the connector) when writing `value` under
  // `key` would take the scope past its key count or byte quota. Two writers racing can
  // overshoot by one value each; the quota bounds growth, it is not an exact ledger.
  Status CheckQuota(int scope, const std::string& key, const std::string& value) {
    namespace limits = plugin::limits;
    RB_ASSIGN_OR_RETURN(state::StateBackend::ValueUsage usage,
                        backend_->ScopeUsage(pipeline_, Scope(scope), ScopeKey(scope), key));
    const char* names[] = {"pipeline", "stream", "connector_instance"};
    if (static_cast<std::uint64_t>(usage.keys) + 1 > limits::kMaxStateKeysPerScope) {
      return Status::ResourceExhausted(
          "connector state of scope " + std::string(names[scope]) + " already holds " +
          std::to_string(usage.keys) + " keys; the quota is " +
          std::to_string(limits::kMaxStateKeysPerScope) + " keys per scope");
    }
    if (static_cast<std::uint64_t>(usage.bytes) + value.size() > limits::kMaxStateBytesPerScope) {
      return Status::ResourceExhausted(
          "connector state of scope " + std::string(names[scope]) + " would hold " +
          std::to_string(static_cast<std::uint64_t>(usage.bytes) + value.size()) +
          " bytes with key '" + key.substr(0, 64) + "'; the quota is " +
          std::to_string(limits::kMaxStateBytesPerScope >> 20) + " MiB per scope");
    }
    return Status::OK();
  }

  state::StateBackend* backend_;
  std::string pipeline_;
  std::string stream_;
  std::string instance_key_;
};

}  // namespace rapidbyte::engine

// ConnectorStateStore: the plugin host's StateStore for one instance, backed by the run's
// state backend (SPEC §6.4): scope 0 is shared by the pipeline, scope 1 by the stream's
// connectors, scope 2 by one configured connector ("<stage>:<connector id>") across streams.
#pragma once

#include <string>

#include "plugin/host_context.h"
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
    return backend_->PutValue(pipeline_, Scope(scope), ScopeKey(scope), key, value);
  }
  Result<bool> CompareAndSet(int scope, const std::string& key,
                             const std::optional<std::string>& expected,
                             const std::string& value) override {
    return backend_->CompareAndSetValue(pipeline_, Scope(scope), ScopeKey(scope), key, expected, value);
  }

 private:
  // The host function has already rejected scopes other than 0-2.
  static state::Scope Scope(int scope) { return static_cast<state::Scope>(scope); }
  const std::string& ScopeKey(int scope) const {
    static const std::string kEmpty;
    return scope == 0 ? kEmpty : scope == 1 ? stream_ : instance_key_;
  }

  state::StateBackend* backend_;
  std::string pipeline_;
  std::string stream_;
  std::string instance_key_;
};

}  // namespace rapidbyte::engine

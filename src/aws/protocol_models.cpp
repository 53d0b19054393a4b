#include "aws/protocol_models.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace fortress::aws {

namespace detail {
extern const std::pair<std::string_view, std::string_view> kBuiltinModels[];
extern const unsigned kBuiltinModelCount;
}  // namespace detail

Expected<const ServiceModel*> builtin_model(std::string_view service) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(service); it != cache.end()) return it->second.get();
  for (unsigned i = 0; i < detail::kBuiltinModelCount; ++i) {
    const auto& [name, json] = detail::kBuiltinModels[i];
    if (name != service) continue;
    auto model = parse_service_model(json, fmt::format("builtin model {}", name));
    if (!model) return model.error();
    auto owned = std::make_unique<ServiceModel>(std::move(*model));
    const ServiceModel* out = owned.get();
    cache.emplace(std::string(name), std::move(owned));
    return out;
  }
  Error e;
  e.code = ErrorCode::kNotFound;
  e.message = fmt::format("no built-in service model for \"{}\" (see tools/extract_models.py)", service);
  return e;
}

std::vector<std::string_view> builtin_model_names() {
  std::vector<std::string_view> out;
  for (unsigned i = 0; i < detail::kBuiltinModelCount; ++i) out.push_back(detail::kBuiltinModels[i].first);
  return out;
}

}  // namespace fortress::aws

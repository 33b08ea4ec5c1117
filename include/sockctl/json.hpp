// json.hpp: the JSON value type of the whole project. Ordered, so keys come out
// in the order the human columns use and JSON output diffs cleanly.
#pragma once

#include <nlohmann/json.hpp>

namespace sockctl {
using Json = nlohmann::ordered_json;
}

// SVG rendering through Graphviz's C library (Debian libgvc, `libgraphviz-dev`): lays the DOT out
// with the dot engine in process and returns the SVG text. No file, no child process.
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <mutex>

#include "reach/report.h"

namespace fortress::reach {

Expected<std::string> render_svg(const std::string& dot) {
  // libgvc keeps global state (the cgraph error buffer, the plugin list): one rendering at a time.
  static std::mutex lock;
  std::lock_guard<std::mutex> guard(lock);
  auto fail = [](std::string message) {
    Error e;
    e.code = ErrorCode::kUnsupported;
    e.message = std::move(message);
    return e;
  };
  GVC_t* gvc = gvContext();
  if (gvc == nullptr) return fail("Graphviz could not start (gvContext)");
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    gvFreeContext(gvc);
    return fail("Graphviz could not read the DOT document");
  }
  std::string svg;
  bool ok = gvLayout(gvc, graph, "dot") == 0;
  if (ok) {
    char* data = nullptr;
    unsigned int length = 0;
    ok = gvRenderData(gvc, graph, "svg", &data, &length) == 0 && data != nullptr;
    if (ok) svg.assign(data, length);
    if (data != nullptr) gvFreeRenderData(data);
    gvFreeLayout(gvc, graph);
  }
  agclose(graph);
  gvFreeContext(gvc);
  if (!ok) return fail("Graphviz could not lay out or render the graph as SVG (is the dot layout plugin installed?)");
  return svg;
}

}  // namespace fortress::reach

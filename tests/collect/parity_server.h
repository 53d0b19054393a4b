// The small EC2/STS server of tests/collect/cli_parity_server.py, run for one test: started on a free
// loopback port, stopped (by its own pid) when this goes out of scope.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

extern char** environ;

namespace fortress::collect {

class ParityServer {
  static std::string read_port(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 public:
  explicit ParityServer(const std::filesystem::path& work) {
    const std::filesystem::path port_file = work / "port";
    const std::string script = std::string(FORTRESS_SOURCE_DIR) + "/tests/collect/cli_parity_server.py";
    const std::string port_arg = port_file.string();
    char* argv[] = {const_cast<char*>("python3"), const_cast<char*>(script.c_str()),
                    const_cast<char*>(port_arg.c_str()), nullptr};
    if (posix_spawnp(&pid_, "python3", nullptr, nullptr, argv, environ) != 0) {
      pid_ = 0;
      return;
    }
    for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (std::filesystem::exists(port_file)) port_ = std::stoi(read_port(port_file));
  }
  ~ParityServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  ParityServer(const ParityServer&) = delete;
  ParityServer& operator=(const ParityServer&) = delete;

  [[nodiscard]] int port() const { return port_; }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace fortress::collect

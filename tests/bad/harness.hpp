#pragma once
// The bad-input harness: materialises a case (a pack written into a fresh temporary tree), runs the
// real `iaf` binary on it under `timeout` (and, where the machine allows it, under strace, which
// records every file the process and its threads open, create, rename or remove), and collects what
// the run did. Shared by the corpus runner (corpus_test.cpp) and the external-access proof
// (external_access_test.cpp).
//
// Layout of one run (ROOT is a fresh directory under the system temp directory):
//   ROOT/pack   the pack (files of the case are relative to it; "../x" lands in ROOT)
//   ROOT/out    --out (not created beforehand)
//   ROOT/cwd    the working directory of the run (empty)
//   ROOT/home   HOME;  ROOT/tmp  TMPDIR
// stdout, stderr and the syscall trace are written beside ROOT (ROOT.run/), not inside it, so that
// every file that appears inside ROOT after the run was written by iaf.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "iaf/core/digest.hpp"

namespace iaf::bad {
namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const fs::path& p, const std::string& content) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
}

// \xHH \r \n \t \0 \\ → bytes.
inline std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == 'n') out += '\n';
    else if (c == 'r') out += '\r';
    else if (c == 't') out += '\t';
    else if (c == '0') out += '\0';
    else if (c == '\\') out += '\\';
    else if (c == 'x' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
             std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

// One syscall of the trace that names a path.
struct FileEvent {
  std::string syscall;
  std::string path;   // absolute, lexically normalised
  bool write = false; // creates, truncates, opens for writing, renames, removes, links, chmods
  bool ok = false;    // the call succeeded
  std::string line;   // the trace line, for messages
};

struct RunResult {
  int status = 0;       // raw wait status of the shell
  int exit_code = -1;   // the exit code the shell reports (128+N for a signal, 124 for timeout)
  std::string out, err;
  double seconds = 0;
  bool traced = false;
  std::vector<FileEvent> events;
  std::vector<std::string> execs;  // execve calls after the first (the binary itself)
};

// True when strace can trace a child here (ptrace may be forbidden in containers); IAF_BAD_NO_STRACE=1
// turns tracing off.
inline bool strace_usable() {
  static const bool usable = [] {
    if (const char* no = std::getenv("IAF_BAD_NO_STRACE"); no && std::string(no) == "1") return false;
    return std::system("strace -f -qq -o /dev/null true >/dev/null 2>&1") == 0;
  }();
  return usable;
}

namespace detail {

// The quoted strings of a strace argument list, unescaped, with the fd prefix (`3</dir>`) of *at calls.
struct Args {
  std::vector<std::string> strings;
  std::vector<std::string> dirfds;  // for each string: the directory fd before it ("" = AT_FDCWD or none)
  std::string rest;                 // the unquoted text (flags)
};

inline Args parse_args(const std::string& s) {
  Args a;
  std::string pending_dir;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      std::string v;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          char e = s[++i];
          if (e >= '0' && e <= '7') {
            int n = 0, k = 0;
            while (k < 3 && i < s.size() && s[i] >= '0' && s[i] <= '7') n = n * 8 + (s[i++] - '0'), ++k;
            --i;
            v += static_cast<char>(n);
          } else if (e == 'x' && i + 2 < s.size()) {
            v += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
          } else if (e == 'n') v += '\n';
          else if (e == 't') v += '\t';
          else v += e;
        } else {
          v += s[i];
        }
      }
      a.strings.push_back(v);
      a.dirfds.push_back(pending_dir);
      pending_dir.clear();
    } else if (std::isdigit(static_cast<unsigned char>(c)) && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(')) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '<') {
        size_t end = s.find(">,", j);
        if (end == std::string::npos) end = s.find('>', j);
        pending_dir = s.substr(j + 1, end - j - 1);
        i = end;
      } else {
        a.rest += s.substr(i, j - i);
        i = j - 1;
      }
    } else if (s.compare(i, 9, "AT_FDCWD,") == 0) {
      pending_dir.clear();
      i += 8;
    } else {
      a.rest += c;
    }
  }
  return a;
}

inline std::vector<FileEvent> parse_trace_line(const std::string& line, const fs::path& cwd, std::vector<std::string>& execs) {
  std::vector<FileEvent> out;
  size_t open = line.find('(');
  size_t eq = line.rfind(") = ");
  if (open == std::string::npos || eq == std::string::npos || eq < open) return out;
  std::string name = line.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (auto sp = name.rfind(' '); sp != std::string::npos) name = name.substr(sp + 1);
  std::string result = line.substr(eq + 4);
  bool ok = !result.empty() && result[0] != '-' && result.rfind("?", 0) != 0;
  Args a = parse_args(line.substr(open + 1, eq - open - 1));
  if (name == "execve") {
    if (!a.strings.empty()) execs.push_back(a.strings[0]);
    return out;
  }
  auto absolute = [&](size_t k) {
    fs::path p(a.strings[k]);
    if (p.is_relative()) p = (a.dirfds[k].empty() ? cwd : fs::path(a.dirfds[k])) / p;
    return p.lexically_normal().string();
  };
  bool write = false;
  size_t paths = 1;
  if (name == "open" || name == "openat" || name == "openat2") {
    write = a.rest.find("O_WRONLY") != std::string::npos || a.rest.find("O_RDWR") != std::string::npos ||
            a.rest.find("O_CREAT") != std::string::npos || a.rest.find("O_TRUNC") != std::string::npos;
  } else if (name == "creat" || name == "mkdir" || name == "mkdirat" || name == "unlink" || name == "unlinkat" ||
             name == "rmdir" || name == "truncate" || name == "chmod" || name == "fchmodat" || name == "mknod" ||
             name == "mknodat") {
    write = true;
  } else if (name == "rename" || name == "renameat" || name == "renameat2" || name == "link" || name == "linkat" ||
             name == "symlink" || name == "symlinkat") {
    write = true;
    paths = 2;
    if (name == "symlink" || name == "symlinkat") {
      // symlink(target, linkpath): only the link is written.
      if (a.strings.size() == 2) {
        a.strings.erase(a.strings.begin());
        a.dirfds.erase(a.dirfds.begin());
      }
      paths = 1;
    }
  } else {
    return out;
  }
  for (size_t k = 0; k < std::min(paths, a.strings.size()); ++k) out.push_back({name, absolute(k), write, ok, line});
  return out;
}

}  // namespace detail

// A fresh tree for one run (see the layout above); removed afterwards unless IAF_BAD_KEEP=1.
class Sandbox {
 public:
  Sandbox() {
    std::random_device rd;
    tag_ = std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000000u);
    root_ = fs::temp_directory_path() / ("iaf-bad-" + tag_);
    run_ = fs::temp_directory_path() / ("iaf-bad-" + tag_ + ".run");
    for (const auto& d : {root_ / "pack", root_ / "cwd", root_ / "home", root_ / "tmp", run_}) fs::create_directories(d);
    root_ = fs::canonical(root_);
    run_ = fs::canonical(run_);
  }
  ~Sandbox() {
    const char* keep = std::getenv("IAF_BAD_KEEP");
    if (keep && std::string(keep) == "1") return;
    std::error_code ec;
    fs::remove_all(root_, ec);
    fs::remove_all(run_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const fs::path& root() const { return root_; }
  fs::path pack() const { return root_ / "pack"; }
  fs::path out() const { return root_ / "out"; }
  fs::path cwd() const { return root_ / "cwd"; }
  const std::string& tag() const { return tag_; }

  // {pack} {out} {root} {tag} {iaf} in a command or an expectation.
  std::string expand(std::string s) const {
    replace_all(s, "{pack}", pack().string());
    replace_all(s, "{out}", out().string());
    replace_all(s, "{root}", root_.string());
    replace_all(s, "{tag}", tag_);
    replace_all(s, "{iaf}", std::string(IAF_BINARY_DIR) + "/iaf");
    return s;
  }

  // Every regular file and symlink under ROOT, relative, with its content digest.
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(root_); it != fs::recursive_directory_iterator(); ++it) {
      const auto& p = it->path();
      std::string rel = p.lexically_relative(root_).string();
      if (fs::is_symlink(it->symlink_status())) files[rel] = "symlink:" + fs::read_symlink(p).string();
      else if (it->is_regular_file()) files[rel] = iaf::sha256_file(p);
    }
    return files;
  }

  // Runs `args` (shell text after `iaf`, already expanded) in ROOT/cwd under `timeout`; traced when
  // `trace` and strace works.
  RunResult run(const std::string& args, int timeout_seconds, bool trace) const {
    RunResult r;
    r.traced = trace && strace_usable();
    std::error_code ec;
    for (auto it = fs::directory_iterator(run_, ec); !ec && it != fs::directory_iterator(); ++it)
      if (it->path().filename().string().rfind("trace", 0) == 0) fs::remove(it->path());
    std::string binary = std::string(IAF_BINARY_DIR) + "/iaf";
    std::string env = "env HOME=" + (root_ / "home").string() + " TMPDIR=" + (root_ / "tmp").string() +
                      " XDG_CACHE_HOME=" + (root_ / "home/.cache").string() + " XDG_CONFIG_HOME=" +
                      (root_ / "home/.config").string() + " ";
    std::string tracer;
    if (r.traced)
      tracer = "strace -f -ff -qq -y --seccomp-bpf -s 4096 -o " + (run_ / "trace").string() +
               " -e trace=execve,open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,"
               "symlink,symlinkat,link,linkat,truncate,chmod,fchmodat,mknod,mknodat ";
    std::string cmd = "cd " + cwd().string() + " && " + env + "timeout -k 5 " + std::to_string(timeout_seconds) + " " + tracer +
                      binary + " " + args + " >" + (run_ / "stdout").string() + " 2>" + (run_ / "stderr").string() +
                      " </dev/null";
    auto start = std::chrono::steady_clock::now();
    r.status = std::system(cmd.c_str());
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.exit_code = WIFEXITED(r.status) ? WEXITSTATUS(r.status) : 128 + (WIFSIGNALED(r.status) ? WTERMSIG(r.status) : 0);
    r.out = slurp(run_ / "stdout");
    r.err = slurp(run_ / "stderr");
    if (r.traced) {
      bool first_exec = true;
      for (auto it = fs::directory_iterator(run_); it != fs::directory_iterator(); ++it) {
        if (it->path().filename().string().rfind("trace", 0) != 0) continue;
        std::ifstream in(it->path());
        for (std::string line; std::getline(in, line);) {
          std::vector<std::string> execs;
          auto ev = detail::parse_trace_line(line, cwd(), execs);
          r.events.insert(r.events.end(), ev.begin(), ev.end());
          for (const auto& e : execs) {
            if (first_exec && e == binary) first_exec = false;
            else r.execs.push_back(e);
          }
        }
      }
    }
    return r;
  }

 private:
  fs::path root_, run_;
  std::string tag_;
};

// Successful writes outside `allowed` (a directory) and the character devices.
inline std::vector<std::string> writes_outside(const RunResult& r, const fs::path& allowed) {
  std::vector<std::string> bad;
  std::string prefix = allowed.lexically_normal().string();
  for (const auto& e : r.events) {
    if (!e.write || !e.ok) continue;
    if (e.path.rfind("/dev/", 0) == 0) continue;
    if (e.path == prefix || e.path.rfind(prefix + "/", 0) == 0) continue;
    bad.push_back(e.line);
  }
  return bad;
}

// Every open (attempted or not) of `path`.
inline std::vector<std::string> opens_of(const RunResult& r, const fs::path& path) {
  std::vector<std::string> hits;
  std::string p = path.lexically_normal().string();
  for (const auto& e : r.events)
    if (e.path == p) hits.push_back(e.line);
  return hits;
}

// What a run's stderr must never show, whatever the input: a crash, a sanitizer report, an escaped
// exception.
inline std::vector<std::string> crash_words() {
  return {"terminate called", "AddressSanitizer", "LeakSanitizer", "runtime error:", "Segmentation fault",
          "internal error", "INTERNAL Error", "Assertion", "Aborted", "core dumped", "std::bad_alloc"};
}

}  // namespace iaf::bad

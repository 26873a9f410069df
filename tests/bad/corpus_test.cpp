// The bad-input corpus (tests/bad/cases/*.case, format in tests/bad/README.md): one test per case
// file. Each case is materialised in a fresh temporary tree and the real binary runs on it; the test
// asserts the exit code and the key words of the message, and, for every case whatever it says:
// no crash (signal, sanitizer report, escaped exception), no hang (timeout), no partial report after
// exit 2 or 3, and no file written anywhere but --out (checked on the tree, and on every syscall
// when strace can trace here).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bad/harness.hpp"

namespace {
namespace fs = std::filesystem;
using namespace iaf::bad;

struct FileSpec {
  std::string path;
  std::string content;
  bool crlf = false, escapes = false;
  enum Kind { file, symlink, dir } kind = file;
  std::string target;  // symlink
};

struct Expect {
  std::string kind;
  std::vector<std::string> args;
  std::string text;  // the line as written
};

struct Case {
  std::string name;   // the file stem
  fs::path file;
  std::string command = "audit {pack} --out {out} --bootstrap 0 --threads 2";
  std::vector<std::string> before;
  int timeout = 60;
  bool trace = true;
  std::optional<int> exit;
  std::vector<Expect> expects;
  std::vector<FileSpec> files;
};

// "a", "b" c → {a, b, c}: quoted strings (with \" \\ and \xHH) or bare words.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ' ' || s[i] == ',' || s[i] == '\t') {
      ++i;
      continue;
    }
    std::string w;
    if (s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"')) w += s[++i];
        else w += s[i];
      }
      ++i;
      out.push_back(unescape(w));
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '\t') w += s[i++];
      out.push_back(w);
    }
  }
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

Case parse_case(const fs::path& file) {
  Case c;
  c.file = file;
  c.name = file.stem().string();
  std::ifstream in(file, std::ios::binary);
  std::string line;
  FileSpec* body = nullptr;
  bool command_given = false;
  int lineno = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error(file.string() + " line " + std::to_string(lineno) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (line.rfind("--- ", 0) == 0) {
      body = nullptr;
      std::string rest = line.substr(4);
      auto colon = rest.find(':');
      if (colon == std::string::npos) fail("a section reads '--- kind: …'");
      std::string kind = rest.substr(0, colon), value = trim(rest.substr(colon + 1));
      if (kind == "command") {
        if (command_given) fail("one command per case (use 'before' for setup runs)");
        command_given = true;
        c.command = value;
      } else if (kind == "before") {
        c.before.push_back(value);
      } else if (kind == "timeout") {
        c.timeout = std::stoi(value);
      } else if (kind == "trace") {
        c.trace = value != "off";
      } else if (kind == "expect") {
        auto sp = value.find(' ');
        Expect e{value.substr(0, sp), {}, value};
        std::string args = sp == std::string::npos ? "" : value.substr(sp + 1);
        if (e.kind == "exit") {
          c.exit = std::stoi(args);
        } else if (e.kind == "stderr" || e.kind == "stdout" || e.kind == "report") {
          auto sp2 = args.find(' ');
          std::string verb = args.substr(0, sp2);
          if (verb != "contains" && verb != "lacks") fail("'" + e.kind + "' takes 'contains' or 'lacks'");
          e.args.push_back(verb);
          for (auto& w : words(args.substr(sp2 + 1))) e.args.push_back(w);
          c.expects.push_back(e);
        } else if (e.kind == "stderr-size") {
          e.args = {trim(args)};
          c.expects.push_back(e);
        } else if (e.kind == "json") {
          auto eq = args.find(" = ");
          if (eq == std::string::npos) fail("json expectations read 'json /pointer = value'");
          e.args = {trim(args.substr(0, eq)), trim(args.substr(eq + 3))};
          c.expects.push_back(e);
        } else if (e.kind == "absent" || e.kind == "unchanged" || e.kind == "unopened" || e.kind == "exists") {
          e.args = {args};
          c.expects.push_back(e);
        } else if (e.kind == "same") {
          e.args = words(args);
          if (e.args.size() != 2) fail("'same' takes two paths");
          c.expects.push_back(e);
        } else {
          fail("unknown expectation '" + e.kind + "'");
        }
      } else if (kind == "file") {
        auto w = words(value);
        if (w.empty()) fail("'file' needs a path");
        FileSpec f;
        f.path = w[0];
        for (size_t i = 1; i < w.size(); ++i) {
          if (w[i] == "crlf") f.crlf = true;
          else if (w[i] == "escapes") f.escapes = true;
          else fail("unknown file flag '" + w[i] + "' (crlf, escapes)");
        }
        c.files.push_back(f);
        body = &c.files.back();
      } else if (kind == "symlink") {
        auto arrow = value.find(" -> ");
        if (arrow == std::string::npos) fail("symlinks read '--- symlink: PATH -> TARGET'");
        c.files.push_back({trim(value.substr(0, arrow)), "", false, false, FileSpec::symlink, trim(value.substr(arrow + 4))});
      } else if (kind == "dir") {
        c.files.push_back({value, "", false, false, FileSpec::dir, ""});
      } else {
        fail("unknown section '" + kind + "'");
      }
      continue;
    }
    if (body) {
      body->content += line;
      body->content += '\n';
    } else if (!line.empty() && line[0] != '#') {
      fail("text outside a file section (comments start with '#')");
    }
  }
  if (!c.exit) throw std::runtime_error(file.string() + ": no '--- expect: exit N'");
  return c;
}

// {{repeat N}}TEXT{{/repeat}} (TEXT with {i} = 0…N-1), {{root}} {{pack}} {{out}} {{tag}}.
std::string expand_body(std::string s, const Sandbox& box) {
  for (size_t at; (at = s.find("{{repeat ")) != std::string::npos;) {
    size_t close = s.find("}}", at);
    size_t end = s.find("{{/repeat}}", close);
    if (close == std::string::npos || end == std::string::npos) throw std::runtime_error("unclosed {{repeat N}}");
    size_t n = std::stoul(s.substr(at + 9, close - at - 9));
    std::string text = s.substr(close + 2, end - close - 2), out;
    bool indexed = text.find("{i}") != std::string::npos;
    out.reserve(text.size() * n + n * 7);
    for (size_t i = 0; i < n; ++i) {
      if (!indexed) {
        out += text;
        continue;
      }
      std::string t = text;
      replace_all(t, "{i}", std::to_string(i));
      out += t;
    }
    s.replace(at, end + 11 - at, out);
  }
  replace_all(s, "{{root}}", box.root().string());
  replace_all(s, "{{pack}}", box.pack().string());
  replace_all(s, "{{out}}", box.out().string());
  replace_all(s, "{{tag}}", box.tag());
  return s;
}

// Writes the case's files; {{sha:PATH}} (PATH relative to the pack) is filled in afterwards, so it
// may name any file of the case.
void materialise(const Case& c, const Sandbox& box) {
  std::vector<std::pair<fs::path, std::string>> with_sha;
  for (const auto& f : c.files) {
    fs::path p = box.pack() / box.expand(f.path);
    if (f.kind == FileSpec::dir) {
      fs::create_directories(p);
      continue;
    }
    if (f.kind == FileSpec::symlink) {
      fs::create_directories(p.parent_path());
      fs::create_symlink(box.expand(f.target), p);
      continue;
    }
    std::string content = expand_body(f.content, box);
    if (f.escapes) content = unescape(content);
    if (f.crlf) replace_all(content, "\n", "\r\n");
    spit(p, content);
    if (content.find("{{sha:") != std::string::npos) with_sha.emplace_back(p, content);
  }
  for (auto& [p, content] : with_sha) {
    for (size_t at; (at = content.find("{{sha:")) != std::string::npos;) {
      size_t end = content.find("}}", at);
      fs::path target = box.pack() / content.substr(at + 6, end - at - 6);
      content.replace(at, end + 2 - at, iaf::sha256_file(target));
    }
    spit(p, content);
  }
}

fs::path corpus_dir() { return fs::path(IAF_BAD_CORPUS_DIR) / "cases"; }

std::vector<fs::path> case_files() {
  std::vector<fs::path> out;
  if (!fs::exists(corpus_dir())) return out;
  for (const auto& e : fs::directory_iterator(corpus_dir()))
    if (e.path().extension() == ".case") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// An expectation's text: the sandbox's placeholders, and {sha:PATH} (the sha256 of a file of the case).
std::string expand_expect(std::string s, const Sandbox& box) {
  for (size_t at; (at = s.find("{sha:")) != std::string::npos;) {
    size_t end = s.find('}', at);
    s.replace(at, end + 1 - at, iaf::sha256_file(box.pack() / s.substr(at + 5, end - at - 5)));
  }
  return box.expand(s);
}

std::string show(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + " after " + std::to_string(r.seconds) + " s\n--- stderr:\n" +
         r.err.substr(0, 4000) + "\n--- stdout:\n" + r.out.substr(0, 2000);
}

bool has_report_files(const fs::path& out, std::string& which) {
  if (!fs::exists(out)) return false;
  bool any = false;
  for (auto it = fs::recursive_directory_iterator(out); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file()) {
      which += it->path().string() + " ";
      any = true;
    }
  return any;
}

class Corpus : public ::testing::TestWithParam<fs::path> {};

TEST_P(Corpus, Case) {
  Case c = parse_case(GetParam());
  Sandbox box;
  materialise(c, box);
  for (const auto& b : c.before) {
    RunResult r = box.run(box.expand(b), c.timeout, false);
    ASSERT_LE(r.exit_code, 1) << "setup run '" << b << "' failed: " << show(r);
  }
  // Files that must not change, by content (read now, compared after the run).
  std::map<std::string, std::optional<std::string>> unchanged;
  for (const auto& e : c.expects)
    if (e.kind == "unchanged") {
      fs::path p = box.expand(e.args[0]);
      unchanged[p.string()] = fs::exists(p) ? std::optional<std::string>(slurp(p)) : std::nullopt;
    }
  auto before = box.snapshot();
  std::string command = box.expand(c.command);
  RunResult r = box.run(command, c.timeout, c.trace);
  SCOPED_TRACE(c.file.string() + "\n  iaf " + command);
  if (const char* show_all = std::getenv("IAF_BAD_SHOW"); show_all && std::string(show_all) == "1")
    std::cout << "[ " << c.name << " ] exit " << r.exit_code << "\n" << r.err.substr(0, 1500) << std::endl;

  // Never a hang or a crash, whatever the case expects.
  ASSERT_NE(r.exit_code, 124) << "timed out after " << c.timeout << " s (a hang): " << show(r);
  ASSERT_NE(r.exit_code, 137) << "killed after the timeout (a hang): " << show(r);
  ASSERT_LT(r.exit_code, 124) << "crashed (signal or sanitizer abort): " << show(r);
  for (const auto& w : crash_words()) {
    EXPECT_EQ(r.err.find(w), std::string::npos) << "stderr shows '" << w << "': " << show(r);
    EXPECT_EQ(r.out.find(w), std::string::npos) << "stdout shows '" << w << "': " << show(r);
  }
  EXPECT_EQ(r.exit_code, *c.exit) << show(r);
  // A message is for a person: a few lines, not a dump of the input.
  EXPECT_LE(r.err.size(), 8192u) << "a message of " << r.err.size() << " bytes: " << show(r);

  // Exit 2 or 3: a message on stderr and nothing in --out.
  if (r.exit_code == 2 || r.exit_code == 3) {
    EXPECT_FALSE(trim(r.err).empty()) << "an error exit with no message";
    std::string which;
    EXPECT_FALSE(has_report_files(box.out(), which)) << "partial output after exit " << r.exit_code << ": " << which;
  }
  // Exit 0 or 1 of an audit into {out}: the report is there.
  if ((r.exit_code == 0 || r.exit_code == 1) && c.command.rfind("audit", 0) == 0 && c.command.find("--out {out}") != std::string::npos) {
    EXPECT_TRUE(fs::exists(box.out() / "report.json")) << "exit " << r.exit_code << " without report.json";
  }

  // Nothing written inside the tree but --out …
  auto after = box.snapshot();
  for (const auto& [rel, digest] : after) {
    if (rel.rfind("out/", 0) == 0) continue;
    auto it = before.find(rel);
    EXPECT_TRUE(it != before.end() && it->second == digest) << "the run wrote " << (box.root() / rel);
  }
  for (const auto& [rel, digest] : before) {
    if (rel.rfind("out/", 0) != 0) {
      EXPECT_TRUE(after.count(rel)) << "the run removed " << (box.root() / rel);
    }
  }
  // … nor outside it, syscall by syscall, and no other program started.
  if (r.traced) {
    for (const auto& w : writes_outside(r, box.out())) ADD_FAILURE() << "write outside --out: " << w;
    for (const auto& e : r.execs) ADD_FAILURE() << "started a program: " << e;
  }

  // The case's own expectations.
  std::optional<nlohmann::json> report;
  auto load_report = [&]() -> const nlohmann::json& {
    if (!report) {
      std::ifstream in(box.out() / "report.json");
      report = in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json();
    }
    return *report;
  };
  for (const auto& e : c.expects) {
    SCOPED_TRACE("expect: " + e.text);
    if (e.kind == "stderr" || e.kind == "stdout" || e.kind == "report") {
      std::string text = e.kind == "stderr" ? r.err : e.kind == "stdout" ? r.out : slurp(box.out() / "report.json");
      bool want = e.args[0] == "contains";
      for (size_t i = 1; i < e.args.size(); ++i) {
        std::string w = expand_expect(e.args[i], box);
        EXPECT_EQ(text.find(w) != std::string::npos, want)
            << e.kind << (want ? " lacks '" : " shows '") << w << "'\n" << show(r);
      }
    } else if (e.kind == "stderr-size") {
      EXPECT_LE(r.err.size(), std::stoul(e.args[0])) << "a message of " << r.err.size() << " bytes:\n" << r.err.substr(0, 3000);
    } else if (e.kind == "json") {
      const nlohmann::json& j = load_report();
      ASSERT_FALSE(j.is_null() || j.is_discarded()) << "no readable report.json";
      nlohmann::json::json_pointer ptr(e.args[0]);
      ASSERT_TRUE(j.contains(ptr)) << "report.json has no " << e.args[0];
      EXPECT_EQ(j.at(ptr), nlohmann::json::parse(e.args[1])) << e.args[0];
    } else if (e.kind == "absent") {
      EXPECT_FALSE(fs::exists(fs::symlink_status(box.expand(e.args[0])))) << box.expand(e.args[0]) << " exists";
    } else if (e.kind == "exists") {
      EXPECT_TRUE(fs::exists(box.expand(e.args[0]))) << box.expand(e.args[0]) << " is missing";
    } else if (e.kind == "unchanged") {
      fs::path p = box.expand(e.args[0]);
      auto was = unchanged[p.string()];
      EXPECT_EQ(fs::exists(p) ? std::optional<std::string>(slurp(p)) : std::nullopt, was) << p << " changed";
    } else if (e.kind == "unopened") {
      if (r.traced) {
        for (const auto& hit : opens_of(r, box.expand(e.args[0]))) ADD_FAILURE() << "the run touched it: " << hit;
      }
    } else if (e.kind == "same") {
      fs::path a = box.expand(e.args[0]), b = box.expand(e.args[1]);
      ASSERT_TRUE(fs::exists(a)) << a;
      ASSERT_TRUE(fs::exists(b)) << b;
      EXPECT_EQ(slurp(a), slurp(b)) << a << " and " << b << " differ";
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string s = info.param.stem().string();
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Bad, Corpus, ::testing::ValuesIn(case_files()), case_name);

TEST(CorpusFormat, EveryCaseParsesAndThereAreAtLeastThirty) {
  auto files = case_files();
  EXPECT_GE(files.size(), 30u);
  std::set<std::string> names;
  for (const auto& f : files) {
    EXPECT_NO_THROW(parse_case(f)) << f;
    EXPECT_TRUE(names.insert(case_name({f, 0})).second) << "two cases share the test name of " << f;
  }
}

TEST(CorpusFormat, TraceParserReadsPathsFlagsAndResults) {
  std::vector<std::string> execs;
  auto w = detail::parse_trace_line(
      "openat(AT_FDCWD, \"../out/.report.json.tmp-1\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/r/out/x>", "/tmp/r/cwd", execs);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].path, "/tmp/r/out/.report.json.tmp-1");
  EXPECT_TRUE(w[0].write);
  EXPECT_TRUE(w[0].ok);
  auto rd = detail::parse_trace_line("openat(5</tmp/r/pack>, \"ref.csv\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)",
                                     "/tmp/r/cwd", execs);
  ASSERT_EQ(rd.size(), 1u);
  EXPECT_EQ(rd[0].path, "/tmp/r/pack/ref.csv");
  EXPECT_FALSE(rd[0].write);
  EXPECT_FALSE(rd[0].ok);
  auto mv = detail::parse_trace_line("rename(\"/a/x\", \"/b/y\") = 0", "/", execs);
  ASSERT_EQ(mv.size(), 2u);
  EXPECT_EQ(mv[1].path, "/b/y");
  auto oct = detail::parse_trace_line("mkdir(\"/t/\\353\\252\", 0777) = 0", "/", execs);
  ASSERT_EQ(oct.size(), 1u);
  EXPECT_EQ(oct[0].path, "/t/\xeb\xaa");
  detail::parse_trace_line("execve(\"/bin/sh\", [\"sh\"], 0x7ffd /* 3 vars */) = 0", "/", execs);
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0], "/bin/sh");
}

}  // namespace

/**
 * Misuse cases of the built command line (dist/cli.js), as data: each runs in a child process in a
 * workspace of fixture files (see misuse.test.ts), and asserts the exit code, the message (its
 * language and content) and that no input nor earlier output changed. Paths are relative to the
 * workspace. A clerk's mistakes first, then hostile files, signals and pipes.
 */
export interface MisuseCase {
  /** What the user did. */
  readonly name: string;
  /** The arguments after `kaohe`. */
  readonly args: readonly string[];
  /** Extra environment (the base is LANG=C.UTF-8, which speaks Chinese). */
  readonly env?: Readonly<Record<string, string>>;
  /** A workspace file given on standard input. */
  readonly stdin?: string;
  readonly code: number;
  /** Texts (or patterns) that standard error must contain. */
  readonly stderr?: readonly (string | RegExp)[];
  /** Texts (or patterns) that standard output must contain. */
  readonly stdout?: readonly (string | RegExp)[];
  /** Texts (or patterns) that must appear on neither channel. */
  readonly never?: readonly (string | RegExp)[];
  /** Workspace files the run may create or change (everything else must be byte-identical). */
  readonly creates?: readonly string[];
  /** Sent once a temporary output file exists: the run must be interrupted cleanly. */
  readonly signal?: "SIGINT" | "SIGTERM";
  /** Standard output is closed by the reader after this many bytes (`| head -c N`). */
  readonly closeStdoutAfter?: number;
  /** A file the run writes (listed in `creates`) and what its text must and must not contain. */
  readonly output?: { readonly file: string; readonly contains: readonly string[]; readonly lacks?: readonly string[] };
}

const P = ["--points", "points.json"];
const G = ["--grades", "grades.json"];
const R = ["--rules", "rulebook.json"];
const STACK = /\n\s+at /;

export const MISUSE_CASES: readonly MisuseCase[] = [
  // ── kaohe itself ─────────────────────────────────────────────────────────────────────────────
  { name: "no command: the overview on stderr, exit 2", args: [], code: 2, stderr: ["用法：kaohe <命令> [选项]", "退出码：0 完成"] },
  { name: "an unknown command", args: ["frobnicate"], code: 2, stderr: ['kaohe：没有 "frobnicate" 这个命令', "kaohe --help"] },
  { name: "--version prints package.json's version", args: ["--version"], code: 0, stdout: [/^\d+\.\d+\.\d+/] },
  { name: "help for a command, in English by --lang", args: ["help", "score", "--lang", "en"], code: 0, stdout: ["Usage: kaohe score <assessment.json>…", "--missing-as-zero", "Exit codes:", "130  interrupted", "Examples:"] },
  { name: "-h on a command, in Chinese", args: ["screen", "-h"], code: 0, stdout: ["用法：kaohe screen", "--raw-csv", "（默认 auto）", "退出码：", "示例："] },
  { name: "help for an unknown command", args: ["help", "nope"], code: 2, stderr: ['没有 "nope" 这个命令'] },
  { name: "an English LANG speaks English", args: ["score", "a/ganzhou.json", "--colour", "red"], env: { LANG: "en_US.UTF-8" }, code: 2, stderr: ["kaohe score: unknown option --colour", "Run `kaohe help score` for usage."] },
  { name: "--lang before the command applies to it", args: ["--lang", "en", "score", "nope.json", ...P], code: 1, stderr: ["nope.json: no such file"] },
  { name: "LC_ALL wins over LANG", args: ["score", "--bogus"], env: { LANG: "en_US.UTF-8", LC_ALL: "zh_CN.UTF-8" }, code: 2, stderr: ["kaohe score: 未知选项 --bogus"] },

  // ── score: the command line ──────────────────────────────────────────────────────────────────
  { name: "score with no file", args: ["score", ...P], code: 2, stderr: ["score 至少需要一个考核输入文件"] },
  { name: "score with an option that needs a value at the end", args: ["score", "a/ganzhou.json", "--points"], code: 2, stderr: ["选项 --points 需要一个值"] },
  { name: "score --format xml", args: ["score", "a/ganzhou.json", ...P, "--format", "xml"], code: 2, stderr: ['--format 只能是 table、json（收到 "xml"）'] },
  { name: "standard input named twice", args: ["score", "-", "-", ...P], code: 2, stderr: ["标准输入（-）只能读一次"] },

  // ── score: files that are not what they should be ────────────────────────────────────────────
  { name: "a missing assessment", args: ["score", "nope.json", ...P], code: 1, stderr: ["nope.json：找不到这个文件", "未计分"], never: [STACK] },
  { name: "a missing assessment, in English", args: ["score", "nope.json", ...P, "--lang", "en"], code: 1, stderr: ["nope.json: no such file", "nothing scored"] },
  { name: "an assessment that is not JSON", args: ["score", "bad-json.json", ...P], code: 1, stderr: ["bad-json.json：不是有效的 JSON"] },
  { name: "an empty assessment", args: ["score", "empty.json", ...P], code: 1, stderr: ["empty.json：文件是空的"] },
  { name: "a folder given as an assessment", args: ["score", "a", ...P], code: 1, stderr: ["a：这是文件夹，不是文件"] },
  { name: "a GBK assessment is decoded, its unit name intact", args: ["score", "gbk.json", ...P], code: 0, stdout: ["赣州市（ganzhou）"], never: ["\uFFFD"] },
  { name: "a UTF-16 assessment with a BOM is decoded", args: ["score", "utf16le.json", ...P], code: 0, stdout: ["赣州市（ganzhou）"] },
  { name: "a UTF-16 assessment without a BOM is refused, naming the encoding", args: ["score", "utf16-nobom.json", ...P], code: 1, stderr: ["utf16-nobom.json：看起来是没有 BOM 的 UTF-16 文件"] },
  { name: "the embedded framework without --points: advice in the CLI's terms", args: ["score", "a/ganzhou.json"], code: 1, stderr: ["请用 --points <文件> 给出分值表"], never: ["withPoints", "framework.categories", "missingAsZero"] },
  { name: "an unknown indicator, which validate used to call valid", args: ["score", "unknown-indicator.json", ...P], code: 1, stderr: ['indicators.i99: 指标「i99」不在指标体系 jiangxi2025 中 [unknown_indicator]'] },
  { name: "a missing indicator: advice names --missing-as-zero", args: ["score", "missing-indicator.json", ...P], code: 1, stderr: ["或加 --missing-as-zero 按 0 分计 [missing_indicator]"], never: ["{ missingAsZero"] },
  { name: "a missing field is named in Chinese, not by zod", args: ["score", "no-name.json", ...P], code: 1, stderr: ["unit.name: 缺少单位名称，必须填写（应为文字） [invalid_type]"], never: ["Invalid input", "expected string"] },
  { name: "two inputs for the same unit", args: ["score", "a/ganzhou.json", "dup-ganzhou.json", ...P], code: 1, stderr: ["dup-ganzhou.json: 1 个问题", "单位「赣州市」（ganzhou）在 a/ganzhou.json 中也有考核输入", "[duplicate_unit]"] },
  { name: "a points file with __proto__", args: ["score", "a/ganzhou.json", "--points", "proto-points.json"], code: 1, stderr: ["[forbidden_key]"] },
  { name: "a points file of its content only is valid, and not marked 示例数据", args: ["score", "a/ganzhou.json", "--points", "points-plain.json"], code: 0, stdout: ["总分 88.50"], never: ["示例数据"] },
  { name: "illustrative points and grades make the output say 示例数据", args: ["score", "a/ganzhou.json", ...P, ...G], code: 0, stdout: ["示例数据：分值来自示例文件 points.json", "示例数据：档次来自示例文件 grades.json"] },
  { name: "a total below every band's minimum gets no grade", args: ["score", "a/shangrao.json", ...P, "--grades", "grades-high.json"], code: 0, stdout: ["总分 72.50", "等次 —（低于各档最低分，不定等次）"], never: ["已是最低档"] },
  { name: "--format json gives errors as JSON, in the same shape", args: ["score", "nope.json", "unknown-indicator.json", ...P, "--format", "json"], code: 1, stdout: ['"ok": false', '"file": "nope.json"', '"code": "unknown_indicator"', '"results": []'] },
  { name: "--format json for one input is a list of one", args: ["score", "a/ganzhou.json", ...P, "--format", "json"], code: 0, stdout: ['"ok": true', '"results": [', '"ranking": ['] },
  { name: "- reads the assessment from standard input", args: ["score", "-", ...P], stdin: "a/ganzhou.json", code: 0, stdout: ["赣州市（ganzhou）", "总分 88.50"] },
  { name: "--explain shows the facts and the deciding comparison of indicator 11", args: ["score", "a/ganzhou.json", ...P, "--explain"], code: 0, stdout: ["读取的事实：growth = 6.5，nationalGrowth = 6.6，provinceGrowth = 6.5", "起决定作用的比较：growth 6.5 < nationalGrowth 6.6，得 0.00 分", "指标11〕"] },
  { name: "--explain --lang en explains in English, with the facts and the source", args: ["score", "a/ganzhou.json", ...P, "--explain", "--lang", "en"], code: 0, stdout: ["赣州市: total 88.50", "on-site score", "deciding comparison: growth 6.5 < nationalGrowth 6.6, score 0.00", "指标11〕"], never: ["考核结果", "实地考核得分"] },
  { name: "a closed pipe (kaohe score … | head) ends quietly", args: ["score", "a/ganzhou.json", "a/shangrao.json", "a/jian.json", "a/nanchang.json", "a/fuzhou.json", "a/yichun.json", "a/jiujiang.json", "a/xinyu.json", "a/pingxiang.json", "a/jingdezhen.json", "a/yingtan.json", ...P, "--format", "json"], closeStdoutAfter: 100, code: 0, never: ["EPIPE", STACK, "内部错误"] },

  // ── screen: never lose a file ────────────────────────────────────────────────────────────────
  { name: "--out naming the input is refused before anything is written", args: ["screen", ...R, "households.csv", "--out", "households.csv"], code: 2, stderr: ["--out households.csv 就是输入文件 households.csv"] },
  { name: "--out naming the input by another path", args: ["screen", ...R, "households.csv", "--out", "./a/../households.csv"], code: 2, stderr: ["就是输入文件 households.csv"] },
  { name: "--out naming a symbolic link to the input", args: ["screen", ...R, "link.csv", "--out", "households.csv"], code: 2, stderr: ["就是输入文件 link.csv"] },
  { name: "--out naming the rulebook", args: ["screen", "--rules", "rulebook.ndjson", "households.csv", "--out", "rulebook.ndjson"], code: 2, stderr: ["--out rulebook.ndjson 就是输入文件 rulebook.ndjson"] },
  { name: "--out of neither .csv nor .ndjson", args: ["screen", ...R, "households.csv", "--out", "findings.json"], code: 2, stderr: ['--out 的文件名必须以 .csv、.ndjson 或 .xlsx 结尾（收到 "findings.json"）'] },
  { name: "CSV for people neutralises a cell that Excel would run as a formula", args: ["screen", ...R, "inject.csv", "--out", "inject-out.csv"], code: 0, creates: ["inject-out.csv"], output: { file: "inject-out.csv", contains: ["\uFEFF类型,规则编号,规则名称,严重程度", ',"\'=1+2",'], lacks: [",=1+2,"] } },
  { name: "--raw-csv keeps cells as they are, with the machine headers", args: ["screen", ...R, "inject.csv", "--out", "inject-raw.csv", "--raw-csv"], code: 0, creates: ["inject-raw.csv"], output: { file: "inject-raw.csv", contains: ["\uFEFFkind,code,title,severity", ",=1+2,"], lacks: ["'=1+2"] } },
  { name: "NDJSON stays raw", args: ["screen", ...R, "inject.csv", "--out", "inject.ndjson"], code: 0, creates: ["inject.ndjson"], output: { file: "inject.ndjson", contains: ['"village":"=1+2"'], lacks: ["'=1+2"] } },
  { name: "--out in a folder that does not exist is reported before the input is read", args: ["screen", ...R, "nope.csv", "--out", "no-such-folder/findings.csv"], code: 2, stderr: ["no-such-folder/findings.csv：输出文件夹 no-such-folder 不存在"], never: ["nope.csv"] },
  { name: "--out in a folder that does not exist, in English", args: ["screen", ...R, "households.csv", "--out", "no-such-folder/findings.csv", "--lang", "en"], code: 2, stderr: ["no-such-folder/findings.csv: the output folder no-such-folder does not exist"] },
  { name: "a failed run leaves the earlier findings file untouched", args: ["screen", ...R, "households.csv", "nope.csv", "--out", "findings.csv"], code: 1, stderr: ["筛查未完成：1 个文件没有筛查（nope.csv）", "findings.csv 未写入"], stdout: ["1 个文件未筛查"] },
  { name: "a run that succeeds replaces the output atomically, with Chinese headers", args: ["screen", ...R, "households.csv", "--out", "new-findings.csv"], code: 0, creates: ["new-findings.csv"], stdout: ["问题线索 7 条"] },
  { name: "a rulebook that is missing", args: ["screen", "--rules", "nope.json", "households.csv"], code: 1, stderr: ["nope.json：找不到这个文件"] },
  { name: "an invalid rulebook lists every issue", args: ["screen", "--rules", "bad-rulebook.json", "households.csv"], code: 1, stderr: ["bad-rulebook.json: 1 个问题", "[duplicate_code]"] },
  { name: "screen without --rules", args: ["screen", "households.csv"], code: 2, stderr: ["需要 --rules <规则集.json>"] },
  { name: "screen --workers x", args: ["screen", ...R, "households.csv", "--workers", "x"], code: 2, stderr: ['--workers 必须是 0 到 64 的整数（收到 "x"）'] },
  { name: "findings on stdout show severities in Chinese", args: ["screen", ...R, "households.csv"], code: 0, stdout: ["SC02 严重", "读取 21 行，筛查 21 行"] },
  { name: "Ctrl-C during a long run: 已中断, exit 130, the earlier output untouched, no temporary file", args: ["screen", ...R, "big.csv", "--out", "findings.csv"], signal: "SIGINT", code: 130, stderr: ["已中断"] },
  { name: "SIGTERM during a long run: exit 143, the earlier output untouched, no temporary file", args: ["screen", ...R, "big.csv", "--out", "findings.csv", "--lang", "en"], signal: "SIGTERM", code: 143, stderr: ["interrupted; no output file was changed"] },

  // ── validate: the same checks as the consuming command, every file kind ──────────────────────
  { name: "validate an assessment with an unknown indicator", args: ["validate", "unknown-indicator.json", ...P], code: 1, stderr: ["[unknown_indicator]"] },
  { name: "validate an assessment without --points still checks it against the framework", args: ["validate", "unknown-indicator.json"], code: 1, stderr: ["[unknown_indicator]"], never: ["--points: "] },
  { name: "validate a points file", args: ["validate", "points-plain.json"], code: 0, stdout: ["points-plain.json：有效的分值表"] },
  { name: "validate a grades file", args: ["validate", "grades.json"], code: 0, stdout: ["grades.json：有效的档次文件"] },
  { name: "validate a progress file with Chinese unit ids", args: ["validate", "progress-zh-ids.json", "--kind", "progress"], code: 0, stdout: ["有效的进度文件"] },
  { name: "validate a submissions list naming an unknown deliverable", args: ["validate", "submissions.json"], code: 1, stderr: ["[unknown_deliverable]"] },
  { name: "validate problems", args: ["validate", "problems.json"], code: 0, stdout: ["problems.json：有效的整改问题清单"] },
  { name: "validate --kind of an unknown kind", args: ["validate", "grades.json", "--kind", "nope"], code: 2, stderr: ["--kind 只能是 assessment、points"] },
  { name: "validate a file of no known kind", args: ["validate", "empty-object.json"], code: 1, stderr: ["无法判断这是哪种文件；请加 --kind"] },
  { name: "validate a points file with a wrong value and an unknown id reports both", args: ["validate", "bad-points.json"], code: 1, stderr: ["bad-points.json: 2 个问题", "points.i1:", "[invalid_format]", "points.i99:", "[unknown_indicator]"] },
  { name: "validate --format json: the problems as JSON on stdout, nothing on stderr", args: ["validate", "bad-points.json", "--format", "json"], code: 1, stdout: ['"ok": false', '"kind": "points"', '"code": "unknown_indicator"'], never: ["个问题"] },
  { name: "validate --format json of a missing file", args: ["validate", "nope.json", "--format", "json", "--lang", "en"], code: 1, stdout: ['"kind": null', '"message": "nope.json: no such file'] },
  { name: "validate --format yaml", args: ["validate", "grades.json", "--format", "yaml"], code: 2, stderr: ['--format 只能是 text、json（收到 "yaml"）'] },

  // ── checklist ────────────────────────────────────────────────────────────────────────────────
  { name: "checklist without --as-of", args: ["checklist", "progress.json"], code: 2, stderr: ["checklist 需要 --as-of YYYY-MM-DD（程序不读系统时钟）"] },
  { name: "checklist --as-of 2025-02-30", args: ["checklist", "progress.json", "--as-of", "2025-02-30"], code: 2, stderr: ['--as-of 必须是真实的日期 YYYY-MM-DD（收到 "2025-02-30"）'] },
  { name: "checklist --format json of a missing file: the error as JSON", args: ["checklist", "nope.json", "--as-of", "2025-11-01", "--format", "json"], code: 1, stdout: ['"ok": false', '"deliverables": null', '"message": "nope.json：找不到这个文件'] },
  { name: "checklist --format json of an invalid progress file lists its problems as JSON", args: ["checklist", "submissions.json", "--as-of", "2025-11-01", "--format", "json"], code: 1, stdout: ['"ok": false', '"file": "submissions.json"', '"issues": ['] },

  // ── framework: a bad --out is a usage error, as in screen ─────────────────────────────────────
  { name: "framework import --out of the wrong extension", args: ["framework", "import", "county.xlsx", "--out", "county.xlsx"], code: 2, stderr: ["--out 的文件名必须以 .json 结尾"] },
  { name: "framework export --out naming its input", args: ["framework", "export", "points.json", "--out", "county.xlsx", "--key-tasks", "county.xlsx"], code: 2, stderr: ["--out county.xlsx 就是输入文件 county.xlsx", "kaohe help framework"] },
  { name: "framework export --out in a folder that does not exist", args: ["framework", "export", "jiangxi2025", "--out", "no-such-folder/t.xlsx", "--lang", "en"], code: 2, stderr: ["no-such-folder/t.xlsx: the output folder no-such-folder does not exist"] },
  { name: "framework import --out in a folder that does not exist, before the table is read", args: ["framework", "import", "nope.xlsx", "--out", "no-such-folder/f.json"], code: 2, stderr: ["no-such-folder/f.json：输出文件夹 no-such-folder 不存在"], never: ["nope.xlsx"] },
  { name: "framework diff of two unusable frameworks reports both", args: ["framework", "diff", "nope.json", "bad-json.json"], code: 1, stderr: ["nope.json：找不到这个文件", "bad-json.json：不是有效的 JSON"] },
  { name: "framework diff --format json of a missing framework: the error as JSON", args: ["framework", "diff", "jiangxi2025", "nope.json", "--format", "json"], code: 1, stdout: ['"ok": false', '"diff": null', '"message": "nope.json：找不到这个文件'], never: [STACK] },
  { name: "checklist status of a unit named 乡镇A", args: ["checklist", "progress-zh-ids.json", "--as-of", "2025-11-01"], code: 0, stdout: ["乡镇A"] },
];

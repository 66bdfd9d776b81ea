// The ILLUSTRATIVE indicator tables of examples/frameworks, as data (示例表格，非真实文件). They are
// shaped like the tables provinces, cities and counties publish (title rows, merged 类别 cells,
// multi-line cells, 合计 rows, deduction clauses), but every name, point and clause is made up.
// generate.ts writes them as .xlsx (and the county one also as .csv); the tests read both.
import type { Table, TableRow } from "../../src/authoring/index";

type Cell = string | number | null;

/** Rows from 1, and the A-column merges of each category (a category's first cell, blank below). */
function sheet(name: string, head: Cell[][], body: { category: string; rows: Cell[][] }[], tail: Cell[][], widths: number[]): Table {
  const rows: TableRow[] = [];
  const merges: string[] = [];
  const add = (cells: Cell[]) => rows.push({ row: rows.length + 1, cells });
  head.forEach(add);
  const width = Math.max(...head.map((r) => r.length));
  merges.push(`A1:${String.fromCharCode(64 + width)}1`);
  for (const { category, rows: group } of body) {
    const start = rows.length + 1;
    group.forEach((cells, i) => add([i === 0 ? category : null, ...cells]));
    if (group.length > 1) merges.push(`A${start}:A${rows.length}`);
  }
  tail.forEach(add);
  return { name, rows, merges, frozenRows: head.length, widths };
}

/**
 * A provincial table like attachment 2: 类别 / 指标 / 内容 / 数据来源, no points, the 扣分项 clauses as
 * rows of their own beneath the indicator, the two rules as rows, and an empty 合计.
 */
export const provincial: Table = sheet(
  "指标体系",
  [["示例省2026年度巩固拓展脱贫攻坚成果考核指标体系"], ["类别", "指标", "内容", "数据来源"]],
  [
    {
      category: "一、责任落实",
      rows: [["1.主体责任、部门责任、\n驻村帮扶责任等情况", "党委政府责任压实、研究部署等情况；\n行业部门按任务分工推动工作落实情况；\n驻村第一书记和工作队员履职尽责情况。", "实地考核；省委组织部、省农业农村厅"]],
    },
    {
      category: "二、政策落实",
      rows: [
        ["2.“三保障”和饮水安全保障情况", "控辍保学、基本医保参保、危房改造、农村饮水安全等情况。", "实地考核；省教育厅、省医保局、省住建厅、省水利厅"],
        ["3.帮扶产业发展和项目资产管理情况", "帮扶产业项目管护运营和联农带农情况；项目资产管理运维和收益分配情况。", "实地考核；省农业农村厅、省发改委"],
      ],
    },
    {
      category: "三、成效巩固",
      rows: [
        ["4.守住不发生规模性返贫致贫底线情况", "研判是否存在整乡整村返贫致贫风险。", "省农业农村厅"],
        ["5.脱贫地区农村居民收入变化情况", "脱贫地区农村居民人均可支配收入增速情况。", "国家统计局示例省调查总队"],
      ],
    },
    {
      category: "四、负面事项",
      rows: [
        ["6.扣分项", "有下列情形的，按项扣分：", "实地考核；省直有关单位"],
        [null, "受到党中央、国务院通报批评的，每项扣1分", null],
        [null, "受到省委、省政府通报批评的，每项扣０．８分", null],
        [null, "被主流媒体曝光造成重大不良影响的，每项扣 0.5 分", null],
        [null, "同一事项按就高原则计算，不重复扣分。", null],
        [null, "发生规模性返贫及上述相关情况问题严重的，另行酌情扣分，降档处理，约谈提醒。", null],
      ],
    },
  ],
  [["合计", null, null, null]],
  [16, 30, 60, 36],
);

/**
 * A city table: two title rows, 一级指标 / 二级指标 / 考核内容 / 评分标准 / 分值 / 责任单位, points with
 * full-width digits and ideographic spaces, a 合计 of 100, and the grade bands beneath it.
 */
export const municipal: Table = sheet(
  "考核细则",
  [["示例市2025年度乡村振兴实绩考核指标及评分标准"], ["（单位：分）"], ["一级指标", "二级指标", "考核内容", "评分标准", "分值", "责任单位"]],
  [
    {
      category: "一、责任落实",
      rows: [
        ["1. 领导责任", "县（区）党委政府研究部署情况。", "未按要求研究部署的扣2分；\n调研督导不到位的扣1分。", "１５", "市委农办"],
        ["2. 驻村帮扶", "驻村工作队选派管理和履职情况。", "综合评分。", "　10　", "市委组织部"],
      ],
    },
    {
      category: "二、工作成效",
      rows: [
        ["3. 监测帮扶", "防止返贫监测对象识别纳入和帮扶情况。", "每发现一例应纳未纳的扣0.5分，扣完为止。", 25, "市农业农村局"],
        ["4. 产业就业", "帮扶产业发展和脱贫人口务工就业情况。", "综合评分。", "30分", "市农业农村局、市人社局"],
        ["5. 群众认可度", "入户调查群众满意度情况。", "按满意度折算。", 20, "市统计局"],
      ],
    },
  ],
  [
    ["合计", null, null, null, 100, null],
    [null],
    ["等次", "最低分"],
    ["好", 90],
    ["较好", 80],
    ["一般", 70],
    ["较差", 0],
  ],
  [14, 16, 40, 40, 8, 24],
);

/**
 * A county table: 类别 / 序号 / 指标 / 评分标准 / 分值 / 评分方法 / 数据来源, deduction rules written
 * inside the 评分标准 of a 扣分项 indicator (with the two rules among them), and a 合计 row.
 */
export const county: Table = sheet(
  "县考核表",
  [["示例县2025年度巩固拓展脱贫攻坚成果乡镇考核评分表"], ["类别", "序号", "指标", "评分标准", "分值", "评分方法", "数据来源"]],
  [
    {
      category: "一、责任落实",
      rows: [
        ["1", "乡镇党委政府主体责任", "每季度研究巩固拓展脱贫攻坚成果工作不少于1次，每少1次扣1分，扣完为止。", 10, "扣完为止", "县委农办"],
        ["2", "周三帮扶日", "结对帮扶干部按要求入户走访，综合评分。", 10, "实地考核评分", "实地考核；县农业农村局"],
      ],
    },
    {
      category: "二、政策落实",
      rows: [
        ["3", "防止返贫动态监测", "每发现一户应纳未纳扣0.5分，扣完为止。", 30, "扣完为止", "县农业农村局"],
        ["4", "产业就业帮扶", "帮扶产业联农带农、脱贫劳动力务工就业情况，综合评分。", 30, "实地考核评分", "实地考核；县农业农村局、县人社局"],
        ["5", "问题整改", "考核评估、暗访发现问题整改落实情况，综合评分。", 20, "实地考核评分", "县纪委监委"],
      ],
    },
    {
      category: "三、负面事项",
      rows: [
        [
          "6",
          "扣分项",
          "1.受到县委、县政府通报批评的，每次扣1分；\n2.受到县直有关单位通报批评的，每例扣0.5分；\n3.被媒体曝光造成不良影响的，扣 0.8 分。\n同一事项按就高原则计算，不重复扣分。\n问题严重的，另行酌情扣分，降档处理。",
          null,
          "扣分项",
          "实地考核；县委办、县直有关单位",
        ],
      ],
    },
  ],
  [["合计", null, null, null, 100, null, null]],
  [14, 6, 22, 60, 8, 12, 30],
);

/** The options each table is imported with: what the table itself does not say. */
export const importOptions = {
  provincial: { id: "example-province-2026", level: "provincial", region: "示例省" },
  municipal: { id: "example-city-2025", level: "municipal", region: "示例市" },
  county: { id: "example-county-2025", level: "county", region: "示例县" },
} as const;

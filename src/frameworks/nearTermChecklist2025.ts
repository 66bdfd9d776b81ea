import type { Checklist } from "../model/checklist";
import { SOURCE_DOCUMENT_2025, ref2025 } from "./source";

/**
 * The near-term work checklist of 2025 (近期巩固拓展脱贫攻坚成果重点工作任务清单, 正文), issued
 * 2025-10-28: five tasks, word for word from the document, each with its source reference.
 *
 * - Task 1 (及时调度部署): 工作部署情况 due 2025-10-31 to 县农业农村局.
 * - Task 2 (常态化落实帮扶制度): the weekly 周三帮扶日 (ISO weekday 3).
 * - Task 3 (全面梳理总结): 总结材料 due 2025-11-05 to 县农业农村局.
 * - Task 4 (突出重点“查漏补缺”): six focus areas (重点区域) and three focus groups (重点人群).
 * - Task 5 (问题整改“回头看”): the 2024 national and provincial feedback, and the three findings that
 *   send a rectification back (回炉).
 * - Milestones: the provincial assessment (省级考核) starts in 2025-11, the national one in 2025-12.
 *
 * The document names no responsible party for tasks 4 and 5, so their `responsible` is empty.
 * Due dates read "10 月 31 日前": on or before that day, inclusive.
 *
 * @example
 * ```ts
 * import { nearTermChecklist2025 } from "kaohe";
 * nearTermChecklist2025.tasks.map((t) => t.deliverables.map((d) => d.dueOn)).flat(); //=> ["2025-10-31", "2025-11-05"]
 * nearTermChecklist2025.milestones.map((m) => `${m.name} ${m.month}`); //=> ["省级考核 2025-11", "国家巩固拓展脱贫攻坚成果考核 2025-12"]
 * ```
 */
export const nearTermChecklist2025: Checklist = {
  id: "near-term-2025",
  title: SOURCE_DOCUMENT_2025,
  issuedOn: "2025-10-28",
  parties: [
    { id: "townships", name: "各乡（镇）" },
    { id: "sector-units", name: "行业帮扶单位" },
    { id: "village-teams", name: "驻村工作队" },
    { id: "assisting-units", name: "各帮扶单位" },
    { id: "assisting-cadres", name: "帮扶干部" },
    { id: "county-agriculture-bureau", name: "县农业农村局" },
  ],
  tasks: [
    {
      id: "t1",
      number: 1,
      title: "及时调度部署",
      content:
        "及时组织召开工作部署会议，对照年度巩固拓展脱贫攻坚成果 14 项重点任务和考核指标体系，逐个乡镇、村开展评估，逐村逐户过筛盘点，发现并及时解决问题。",
      responsible: ["townships", "sector-units"],
      deliverables: [
        {
          id: "t1-deployment",
          name: "工作部署情况",
          dueOn: "2025-10-31",
          recipient: "county-agriculture-bureau",
          text: "工作部署情况于 10 月 31 日前报至县农业农村局",
        },
      ],
      recurrences: [],
      focusAreas: [],
      focusGroups: [],
      reviews: [],
      source: ref2025("body", "第1项"),
    },
    {
      id: "t2",
      number: 2,
      title: "常态化落实帮扶制度",
      content:
        "驻村工作队要确保在岗在位并认真履职；各帮扶单位要组织帮扶干部落实“周三帮扶日”制度，帮助农户一起梳理年内政策落实情况，开展一次政策宣讲和感恩教育，提升群众的获得感和认可度。",
      responsible: ["village-teams", "assisting-units", "assisting-cadres"],
      deliverables: [],
      recurrences: [
        {
          id: "t2-wednesday",
          name: "周三帮扶日",
          frequency: "weekly",
          weekday: 3,
          parties: ["assisting-units", "assisting-cadres"],
          text: "各帮扶单位要组织帮扶干部落实“周三帮扶日”制度",
        },
      ],
      focusAreas: [],
      focusGroups: [],
      reviews: [],
      source: ref2025("body", "第2项"),
    },
    {
      id: "t3",
      number: 3,
      title: "全面梳理总结",
      content:
        "对照 14 项重点任务和考核指标体系，全面梳理年度工作，固定相关数据，形成工作总结汇报材料；单位、乡镇及村有关负责同志要熟练掌握“一口清”情况。",
      responsible: ["townships", "sector-units"],
      deliverables: [
        {
          id: "t3-summary",
          name: "总结材料",
          dueOn: "2025-11-05",
          recipient: "county-agriculture-bureau",
          text: "总结材料于 11 月 5 日前报至县农业农村局",
        },
      ],
      recurrences: [],
      focusAreas: [],
      focusGroups: [],
      reviews: [],
      source: ref2025("body", "第3项"),
    },
    {
      id: "t4",
      number: 4,
      title: "突出重点“查漏补缺”",
      content:
        "对重点区域和重点人群组织开展集中排查，进一步“查漏补缺”。重点区域：易地搬迁集中安置点、就业帮扶车间、产业基地、联农带农经营主体、村级光伏电站、村级卫生室。重点人群：低收入人口、低保、信访。",
      responsible: [],
      deliverables: [],
      recurrences: [],
      focusAreas: [
        { id: "relocation-sites", name: "易地搬迁集中安置点" },
        { id: "employment-workshops", name: "就业帮扶车间" },
        { id: "industrial-bases", name: "产业基地" },
        { id: "farmer-linking-entities", name: "联农带农经营主体" },
        { id: "village-solar-stations", name: "村级光伏电站" },
        { id: "village-clinics", name: "村级卫生室" },
      ],
      focusGroups: [
        { id: "low-income-population", name: "低收入人口" },
        { id: "minimum-living-allowance", name: "低保" },
        { id: "petitions", name: "信访" },
      ],
      reviews: [],
      source: ref2025("body", "第4项"),
    },
    {
      id: "t5",
      number: 5,
      title: "问题整改“回头看”",
      content:
        "对 2024 年度国家及省级考核反馈问题开展“回头看”，更新整改进展情况，对整改不彻底、成效不明显或举一反三不到位的进行“回炉”整改，确保整改工作经得起群众检验。",
      responsible: [],
      deliverables: [],
      recurrences: [],
      focusAreas: [],
      focusGroups: [],
      reviews: [
        {
          id: "t5-feedback-2024",
          subject: "2024 年度国家及省级考核反馈问题",
          year: 2024,
          sendBackReasons: ["整改不彻底", "成效不明显", "举一反三不到位"],
        },
      ],
      source: ref2025("body", "第5项"),
    },
  ],
  milestones: [
    { id: "provincial-assessment", name: "省级考核", month: "2025-11", source: ref2025("body", "导语") },
    {
      id: "national-assessment",
      name: "国家巩固拓展脱贫攻坚成果考核",
      month: "2025-12",
      source: ref2025("body", "导语"),
    },
  ],
};

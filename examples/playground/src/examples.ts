// The repository's example data, built into the page (the page fetches nothing).
import fuzhou from "../../jiangxi-2025/assessments/fuzhou.json";
import ganzhou from "../../jiangxi-2025/assessments/ganzhou.json";
import jian from "../../jiangxi-2025/assessments/jian.json";
import jingdezhen from "../../jiangxi-2025/assessments/jingdezhen.json";
import jiujiang from "../../jiangxi-2025/assessments/jiujiang.json";
import nanchang from "../../jiangxi-2025/assessments/nanchang.json";
import pingxiang from "../../jiangxi-2025/assessments/pingxiang.json";
import shangrao from "../../jiangxi-2025/assessments/shangrao.json";
import xinyu from "../../jiangxi-2025/assessments/xinyu.json";
import yichun from "../../jiangxi-2025/assessments/yichun.json";
import yingtan from "../../jiangxi-2025/assessments/yingtan.json";
import csv from "../../screening/synthetic-households.csv";

/** The synthetic assessments of examples/jiangxi-2025/assessments/, by file name. */
export const EXAMPLE_ASSESSMENTS: Readonly<Record<string, unknown>> = {
  fuzhou, ganzhou, jian, jingdezhen, jiujiang, nanchang, pingxiang, shangrao, xinyu, yichun, yingtan,
};

/** examples/screening/synthetic-households.csv (synthetic data). */
export const EXAMPLE_CSV: string = csv;

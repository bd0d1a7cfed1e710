//! Small indexes of invented notices for the search tests, built through
//! the library as `gongwen index` builds them.

use std::path::Path;

use crate::index::{self, IndexHandle};

/// An index in a temporary folder (removed when dropped).
pub(crate) struct TestIndex {
    _dir: tempfile::TempDir,
    pub(crate) handle: IndexHandle,
}

/// Index `files` (`(path relative to the corpus root, content)`).
pub(crate) fn build(files: &[(&str, &str)]) -> TestIndex {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    for (rel, text) in files {
        let p = corpus.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).expect("corpus folder");
        std::fs::write(&p, text).expect("write a notice");
    }
    let idx = dir.path().join("index");
    index::build(&corpus, &idx, true, &mut |s| {
        panic!("skipped {}: {}", s.path, s.reason)
    })
    .expect("index the notices");
    let handle = IndexHandle::open(&idx).expect("open the index");
    TestIndex { _dir: dir, handle }
}

/// A county's inspection notices, invented: two of its finance bureau and
/// one of its education bureau under `county/`, one of another district's
/// under `county2/` (a folder whose name begins with `county`), one at the
/// root without agency or date, and a crawler export with two records.
pub(crate) const COUNTY: &[(&str, &str)] = &[
    (
        "county/finance/a.txt",
        "中共某县财政局党组关于巡察整改进展情况的通报\n\
         日期:2024-03-15 来源:某县纪委\n\
         一、关于“未严格执行差旅费管理制度”问题的整改进展情况\n\
         已组织学习差旅费管理规定，追回违规报销费用。\n\
         二、关于“公务用车管理不规范”问题的整改进展情况\n\
         已建立公务用车台账，差旅费报销同步核查。\n\
         三、关于“未严格执行差旅费管理制度”问题的整改进展情况\n\
         再次核查差旅费报销凭证。\n",
    ),
    (
        "county/finance/b.txt",
        "中共某县财政局党组关于巡察整改情况的报告\n\
         日期:2024-05-10 来源:某县纪委\n\
         一、关于“未严格执行差旅费管理制度”问题的整改情况\n\
         清理差旅费报销单据。\n\
         二、关于“学习贯彻不够”问题的整改情况\n\
         制定理论学习计划。\n",
    ),
    (
        "county/edu/c.txt",
        "中共某县教育局党组关于巡察整改进展情况的通报\n\
         日期:2023-11-02 来源:某县纪委\n\
         一、关于“公务用车管理不规范”问题的整改进展情况\n\
         已规范车辆使用登记。\n",
    ),
    (
        "county2/d.txt",
        "中共某区教育局党组关于巡察整改进展情况的通报\n\
         日期:2024-03-20 来源:某区纪委\n\
         一、关于“学习贯彻不够”问题的整改进展情况\n\
         开展专题学习，核查差旅费报销。\n",
    ),
    (
        "root.txt",
        "关于开展财务专项检查的说明\n近期对差旅费报销情况开展专项检查，请各单位配合。\n",
    ),
    (
        "exports/n.jsonl",
        "{\"title\": \"某某县人民政府办公室关于做好防汛工作的通知\", \"发文机关\": \"某某县人民政府办公室\", \"pub_date\": \"2023-06-01\", \"content\": \"一、压实防汛责任\\n落实防汛值班制度。\"}\n\
         {\"title\": \"某某县人民政府办公室关于做好抗旱工作的通知\", \"发文机关\": \"某某县人民政府办公室\", \"pub_date\": \"2023-07-01\", \"content\": \"一、加强抗旱准备\\n落实抗旱物资。\"}\n",
    ),
];

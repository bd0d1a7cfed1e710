//! Parser tests on the two seed notices shipped in `corpus/`.

use super::*;

const SEED_000: &str = include_str!("../../corpus/000_4f4fae3bed152b1a.txt");
const SEED_001: &str = include_str!("../../corpus/001_8141e087f3230e59.txt");

fn texts(h: &[Heading]) -> Vec<&str> {
    h.iter().map(|x| x.text.as_str()).collect()
}

#[test]
fn seed_000_fields() {
    let n = parse_text(SEED_000, "000.txt").unwrap();
    assert_eq!(
        n.head.title,
        "中共三门县投资促进中心党组关于巡察整改进展情况的通报"
    );
    assert_eq!(n.head.agency.as_deref(), Some("中共三门县投资促进中心党组"));
    assert_eq!(n.head.date, None, "seed 000 states no date of its own");
    assert_eq!(n.date_source, None);
}

#[test]
fn seed_000_every_heading() {
    let n = parse_text(SEED_000, "000.txt").unwrap();
    let top = texts(&n.headings);
    assert_eq!(top.len(), 8);
    assert_eq!(top[0], "关于“贯彻新发展理念还不够到位”问题的整改进展情况");
    assert_eq!(top[7], "关于“党建工作仍有不足”问题的整改进展情况");
    let subs: Vec<usize> = n.headings.iter().map(|h| h.children.len()).collect();
    assert_eq!(subs, vec![3, 2, 2, 3, 2, 5, 2, 2]);
    let cai = &n.headings[5];
    assert_eq!(cai.number, "六、");
    assert_eq!(
        cai.children[1].text,
        "针对“未严格执行差旅费管理制度”问题的整改进展情况"
    );
    assert_eq!(cai.children[1].number, "2.");
    // sections: preamble + 8 top-level + 21 second-level
    assert_eq!(n.sections.len(), 30);
    let s = n
        .sections
        .iter()
        .find(|s| s.issue.as_deref() == Some("未严格执行差旅费管理制度"))
        .unwrap();
    assert_eq!(s.heading_path.len(), 2);
    assert!(
        s.text
            .starts_with("2.针对“未严格执行差旅费管理制度”问题的整改进展情况。\n一是8月31日成立了")
    );
    assert!(n.sections[0].text.starts_with("按照县委部署"));
}

#[test]
fn seed_001_fields() {
    let n = parse_text(SEED_001, "001.txt").unwrap();
    assert_eq!(
        n.head.title,
        "中共合肥市包河区投资促进中心党组关于巡察整改进展情况的通报"
    );
    assert_eq!(
        n.head.agency.as_deref(),
        Some("中共合肥市包河区投资促进中心党组")
    );
    assert_eq!(n.source.as_deref(), Some("包河区纪委"));
    assert_eq!(
        n.head.date.map(|d| d.to_string()).as_deref(),
        Some("2024-10-15")
    );
    assert_eq!(n.date_source.as_deref(), Some("label:日期"));
}

#[test]
fn seed_001_every_heading() {
    let n = parse_text(SEED_001, "001.txt").unwrap();
    assert_eq!(
        texts(&n.headings),
        vec![
            "提高政治站位,落实巡察反馈整改工作",
            "坚持问题导向,确保整改工作成效",
            "建立长效机制,巩固巡察整改成果"
        ]
    );
    let subs: Vec<&str> = n
        .headings
        .iter()
        .flat_map(|h| h.children.iter().map(|c| c.text.as_str()))
        .collect();
    assert_eq!(
        subs,
        vec![
            "强化组织领导,落实主体责任",
            "制定工作方案,落实整改责任",
            "认真贯彻落实党中央决策部署及省市区工作要求",
            "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题",
            "全面贯彻新时代党的组织路线,增强基层党组织战斗堡垒作用",
            "持续抓好整改,巩固整改成效",
            "加强制度建设,建立长效机制",
            "严格检查督查,防止问题反弹",
        ]
    );
    // run-in 1) items sit under 1. under （一）
    let dangfei = n
        .sections
        .iter()
        .find(|s| s.heading.as_deref() == Some("加强党费收缴使用和管理"))
        .expect("run-in heading 19)");
    assert_eq!(dangfei.heading_path.len(), 4);
    assert!(dangfei.text.starts_with("19)加强党费收缴使用和管理。一是"));
    // chrome is not text
    assert!(!n.sections[0].text.contains("您当前所在的位置"));
    assert!(!n.sections[0].text.contains("阅读次数"));
    assert!(n.head_raw.contains("您当前所在的位置"));
}

#[test]
fn empty_and_binary_inputs_are_skip_reasons() {
    assert!(matches!(decode(b""), Err(SkipReason::Empty)));
    assert!(matches!(decode(b"  \n "), Err(SkipReason::Empty)));
    assert!(matches!(decode(b"ab\0cd"), Err(SkipReason::Binary)));
    assert!(matches!(
        decode(b"\xff\xfe\xfd abc"),
        Err(SkipReason::Encoding(_))
    ));
    assert_eq!(decode("\u{feff}标题".as_bytes()).unwrap(), "标题");
}

#[test]
fn law_version_lines_give_date_and_agency() {
    let text = "中华人民共和国拍卖法\n1996年7月5日 第八届全国人民代表大会常务委员会第二十次会议通过\n2015年4月24日 第十二届全国人民代表大会常务委员会第十四次会议第二次修正\n\n第一章 总则\n\n第一条 为了规范拍卖行为，制定本法。\n";
    let n = parse_text(text, "law.txt").unwrap();
    assert_eq!(n.head.date.unwrap().to_string(), "2015-04-24");
    assert_eq!(n.head.agency.as_deref(), Some("全国人民代表大会常务委员会"));
    assert_eq!(texts(&n.headings), vec!["总则"]);
}

#[test]
fn signature_gives_agency_and_date() {
    let text =
        "某某事项的通知\n\n各单位：\n一、总体要求\n做好工作。\n\n国务院办公厅\n2019年1月9日\n";
    let n = parse_text(text, "x.txt").unwrap();
    assert_eq!(n.head.agency.as_deref(), Some("国务院办公厅"));
    assert_eq!(n.head.date.unwrap().to_string(), "2019-01-09");
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn unnumbered_cross_heads_between_paragraphs() {
    let para =
        "坚守节点纠治“四风”，是加强作风建设的重要抓手，各级纪检监察机关持续发力，取得明显成效。";
    let text = format!(
        "防反弹回潮\n发布时间：2023-09-27 06:00\n来源：中央纪委国家监委网站\n\n中央纪委国家监委网站 陆丽环\n\n{para}\n\n强化警示提醒 压实工作责任\n\n{para}\n\n严查“蝇贪蚁腐”\n\n{para}\n"
    );
    let n = parse_text(&text, "ccdi.txt").unwrap();
    assert_eq!(
        texts(&n.headings),
        vec!["强化警示提醒 压实工作责任", "严查“蝇贪蚁腐”"]
    );
    assert_eq!(n.head.agency.as_deref(), Some("中央纪委国家监委网站"));
    // a numbered document keeps only its numbered headings
    let numbered =
        format!("标题\n\n{para}\n\n一、总体要求\n\n{para}\n\n短行不是标题啊\n\n{para}\n");
    let n = parse_text(&numbered, "x.txt").unwrap();
    assert_eq!(texts(&n.headings), vec!["总体要求"]);
}

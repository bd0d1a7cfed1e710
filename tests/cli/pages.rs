//! Issue 13: notices as people save them from real pages. One fixture per
//! layout class (`tests/fixtures/pages/`, written for these tests: the names
//! and texts are made up, the layouts are those of county, city and
//! provincial sites), each read through the real binary.

use crate::harness::{HeadingOut, ParseOut, Sandbox};

/// `gongwen parse --json` of a fixture, copied into a sandbox's corpus.
fn parse(name: &str) -> ParseOut {
    let sb = Sandbox::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    sb.add_corpus_file(name, &bytes);
    let out = sb.run(&["parse", "--json", &format!("corpus/{name}")]);
    out.assert_code(0);
    out.json()
}

fn tops(h: &[HeadingOut]) -> Vec<&str> {
    h.iter().map(|x| x.text.as_str()).collect()
}

#[test]
fn issue13_metadata_block_with_values_on_their_own_lines() {
    let n = parse("metadata_block.txt");
    assert_eq!(
        n.title,
        "中共青禾县文化和旅游局党组关于巡察整改进展情况的通报"
    );
    assert_eq!(n.title_source, "line");
    // 发布机构 (县文旅局) is the publishing office; the title names the issuer
    assert_eq!(n.agency.as_deref(), Some("中共青禾县文化和旅游局党组"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(n.date.as_deref(), Some("2024-06-12"));
    assert_eq!(n.date_source.as_deref(), Some("label:成文日期"));
    assert_eq!(n.headings.len(), 2);
    assert_eq!(
        n.headings[1].children[0].text,
        "针对“未严格执行差旅费管理制度”问题的整改进展情况"
    );
}

#[test]
fn issue13_breadcrumbs_banners_buttons_and_footer() {
    let n = parse("breadcrumb_banner.txt");
    assert_eq!(
        n.title,
        "澜江市人民政府办公室关于做好2025年春节期间安全生产工作的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("澜江市人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2025-01-20"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布时间"));
    // the 来源 value stops before the font buttons that follow it
    assert_eq!(n.source.as_deref(), Some("市政府办公室"));
    assert_eq!(tops(&n.headings), ["压实安全生产责任", "加强重点领域排查"]);
}

#[test]
fn issue13_newspaper_page_label_and_archive_stamp() {
    let n = parse("newspaper_archive.txt");
    assert_eq!(
        n.title,
        "中共石湾区委巡察工作领导小组办公室关于十二届区委第五轮巡察进驻情况的公告"
    );
    assert_eq!(
        n.agency.as_deref(),
        Some("中共石湾区委巡察工作领导小组办公室")
    );
    // the archive stamp's date is not the notice's
    assert_eq!(n.date.as_deref(), Some("2023-11-28"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_red_header_document_number_and_broken_title() {
    let n = parse("red_header.txt");
    assert_eq!(
        n.title,
        "云岭省人民政府办公厅关于进一步加强基层公共文化服务体系建设的实施意见"
    );
    assert_eq!(n.title_source, "lines");
    assert_eq!(n.agency.as_deref(), Some("云岭省人民政府办公厅"));
    assert_eq!(n.agency_source.as_deref(), Some("red header"));
    assert_eq!(n.doc_number.as_deref(), Some("云政办发〔2024〕17号"));
    // a signature date in Chinese numerals
    assert_eq!(n.date.as_deref(), Some("2024-03-05"));
    assert_eq!(tops(&n.headings), ["总体要求", "重点任务"]);
    assert_eq!(
        tops(&n.headings[1].children),
        ["完善设施网络", "丰富服务供给"]
    );
}

#[test]
fn issue13_column_prefix_and_trailing_date_come_off_the_title() {
    let n = parse("decorated_title.txt");
    assert_eq!(n.title, "关于东湖路部分路段实施交通管制的通告");
    assert_eq!(n.agency.as_deref(), Some("禾川市公安局交通警察支队"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2024-04-02"));
}

#[test]
fn issue13_leading_document_number_and_quote_marks() {
    let n = parse("docnumber_title.txt");
    assert_eq!(
        n.title,
        "禾川市人民政府办公室关于印发禾川市2023年政务公开工作要点的通知"
    );
    assert_eq!(n.doc_number.as_deref(), Some("禾政办发〔2023〕41号"));
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府办公室"));
}

#[test]
fn issue13_press_item_reprinting_a_notice_in_full() {
    let n = parse("press_item.txt");
    assert_eq!(n.title, "青禾县人民政府关于全面禁止燃放烟花爆竹的通告");
    // the news site is not the issuer
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.date.as_deref(), Some("2024-12-20"));

    let n = parse("press_quoted.txt");
    assert_eq!(n.title, "国务院办公厅关于2025年部分节假日安排的通知");
    assert_eq!(n.title_source, "quoted");
    assert_eq!(n.agency.as_deref(), Some("国务院办公厅"));
    assert_eq!(n.source.as_deref(), Some("青禾日报"));
    // 元旦：… and 春节：… are items of the list, not headings
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_issuers_in_the_signature_not_the_publishing_office() {
    let n = parse("joint_issuers.txt");
    assert_eq!(n.title, "关于做好2024年高校毕业生就业服务工作的通知");
    assert_eq!(
        n.agency.as_deref(),
        Some("青禾县人力资源和社会保障局、青禾县教育局、青禾县财政局")
    );
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2024-07-09"));
}

#[test]
fn issue13_a_republishing_discipline_site_is_the_source() {
    let n = parse("republisher.txt");
    assert_eq!(
        n.title,
        "中共青禾县城市管理局党组关于巡察整改进展情况的通报"
    );
    assert_eq!(n.agency.as_deref(), Some("中共青禾县城市管理局党组"));
    assert_eq!(n.source.as_deref(), Some("青禾县纪委"));
    assert_eq!(n.date.as_deref(), Some("2024-09-03"));
    assert_eq!(n.headings.len(), 2);
}

#[test]
fn issue13_traditional_characters() {
    let n = parse("traditional.txt");
    // read as written, recognised through folding
    assert_eq!(n.title, "澄海縣人民政府辦公室關於加強意識形態工作的通知");
    assert_eq!(n.agency.as_deref(), Some("澄海縣人民政府辦公室"));
    assert_eq!(n.date.as_deref(), Some("2024-05-06"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布时间"));
    assert_eq!(tops(&n.headings), ["提高政治站位", "加強陣地管理"]);
}

#[test]
fn issue13_ascii_punctuation_and_brackets() {
    let n = parse("ascii_punct.txt");
    assert_eq!(n.title, "关于开展2024年度安全生产大检查的通知");
    assert_eq!(n.date.as_deref(), Some("2024-03-05"));
    assert_eq!(n.agency.as_deref(), Some("青禾县安全生产委员会办公室"));
    assert_eq!(tops(&n.headings), ["检查范围", "工作要求"]);
    assert_eq!(tops(&n.headings[0].children), ["重点行业", "一般行业"]);
    assert_eq!(
        tops(&n.headings[1].children),
        ["加强组织领导", "严肃追责问责"]
    );
}

#[test]
fn issue13_a_body_flattened_onto_one_line() {
    let n = parse("one_line.txt");
    assert_eq!(n.title, "关于做好2024年汛期防汛工作的通知");
    assert_eq!(n.agency.as_deref(), Some("青禾县防汛抗旱指挥部"));
    assert_eq!(n.date.as_deref(), Some("2024-06-03"));
}

#[test]
fn issue13_holiday_items_are_not_headings() {
    let n = parse("holiday_list.txt");
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于2025年部分节假日安排的通知"
    );
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    // 二O二四年 with a Latin O for the zero
    assert_eq!(n.date.as_deref(), Some("2024-12-20"));
}

#[test]
fn issue13_no_date_from_unrelated_numbers() {
    let n = parse("unrelated_numbers.txt");
    assert_eq!(n.title, "关于调整部分公交线路的公告");
    // an index number and a phone number hold digits that look like dates
    assert_eq!(n.date, None, "{:?}", n.date_source);
    assert_eq!(n.date_source, None);
}

#[test]
fn issue13_parse_says_how_each_field_was_found() {
    let sb = Sandbox::new();
    let out = sb.run(&["parse", "corpus/001_8141e087f3230e59.txt"]);
    out.assert_code(0);
    for shown in [
        "巡察整改进展情况的通报 (from line)",
        "投资促进中心党组 (from title)",
        "2024-10-15 (from label:日期)",
    ] {
        assert!(out.stdout.contains(shown), "{shown}:\n{}", out.stdout);
    }
}

#[derive(serde::Deserialize)]
struct IndexReport {
    added: usize,
    unchanged: usize,
    rebuilt: bool,
}

#[test]
fn issue13_an_index_read_by_an_older_reader_is_read_again() {
    let sb = Sandbox::indexed();
    let stamp = sb.index().join("gongwen.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stamp).expect("stamp")).expect("stamp JSON");
    assert!(v["reader"].as_u64().is_some_and(|r| r >= 2), "{v}");
    // an index whose notices an older reader made: fields may be stale
    v["reader"] = serde_json::json!(1);
    std::fs::write(&stamp, v.to_string()).expect("write stamp");
    // searching it still works meanwhile
    sb.search(&["差旅费"]).assert_code(0);
    let r: IndexReport = {
        let out = sb.index_cmd(&["--quiet", "--json"]);
        out.assert_code(0);
        out.json()
    };
    assert!(
        r.rebuilt && r.added == 2 && r.unchanged == 0,
        "every file read again"
    );
    let r: IndexReport = {
        let out = sb.index_cmd(&["--quiet", "--json"]);
        out.assert_code(0);
        out.json()
    };
    assert!(!r.rebuilt && r.unchanged == 2, "then up to date");
}

#[test]
fn issue13_decimal_outline_after_a_table_of_contents() {
    let n = parse("decimal_outline.txt");
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于印发青禾县森林火灾应急预案的通知"
    );
    assert_eq!(n.doc_number.as_deref(), Some("青政办发〔2024〕9号"));
    // the cover notice signs before the attached plan
    assert_eq!(n.date.as_deref(), Some("2024-02-26"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    // 1 / 1.1 headings, each once: the table of contents is not the outline
    assert_eq!(tops(&n.headings), ["总则", "组织体系"]);
    assert_eq!(tops(&n.headings[0].children), ["编制目的", "适用范围"]);
    assert_eq!(n.headings[1].children[1].number, "2.2");
}

#[test]
fn issue13_an_aggregators_headline_above_the_documents_own_title() {
    let n = parse("aggregator_headline.txt");
    // the document's own title, under the page's metadata, with its issuers
    // on lines of their own above it
    assert_eq!(
        n.title,
        "青禾县公安局交通警察大队青禾县生态环境分局关于暂停执行工作日机动车尾号限行交通管理措施的通告"
    );
    assert_eq!(
        n.agency.as_deref(),
        Some("青禾县公安局交通警察大队、青禾县生态环境分局")
    );
    // the page's update time is the publication time it shows
    assert_eq!(n.date.as_deref(), Some("2024-12-20"));
}

#[test]
fn issue13_labels_in_brackets() {
    let n = parse("bracket_labels.txt");
    assert_eq!(
        n.title,
        "青禾县禾镇人民政府关于印发禾镇自然灾害救助应急预案的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县禾镇人民政府"));
    assert_eq!(n.doc_number.as_deref(), Some("禾镇府发〔2023〕21号"));
    assert_eq!(n.date.as_deref(), Some("2023-06-05"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布日期"));
}

#[test]
fn issue13_an_issuer_named_only_where_the_page_cites_its_document() {
    let n = parse("cited_in_text.txt");
    assert_eq!(n.title, "关于春节期间禁止在城区销售燃放烟花爆竹的通告");
    // 来源：本网 names no one; the text cites the notice with its issuer
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("cited title"));
    assert_eq!(n.date.as_deref(), Some("2025-01-10"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
}

#[test]
fn issue13_table_metadata_without_colons_and_a_navigation_bar() {
    let n = parse("table_metadata.txt");
    // the bar of site links (with its English and Russian versions) and the
    // letter-spaced menu are furniture; the labels of the pasted table have
    // no colons, only spaces
    assert_eq!(
        n.title,
        "禾川市人民政府办公室关于印发禾川市政务数据共享管理细则的通知"
    );
    assert_eq!(n.title_source, "line");
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-11-29"));
    assert_eq!(n.date_source.as_deref(), Some("label:发文日期"));
    assert_eq!(n.doc_number.as_deref(), Some("禾政办发〔2024〕29号"));
}

#[test]
fn issue13_a_headline_under_its_columns_name() {
    let n = parse("column_headline.txt");
    // a news headline names no document kind: the line above the page's
    // 发布时间 line, not the column's name above it
    assert_eq!(n.title, "十届青禾县委第三轮巡察展开 3个巡察组完成进驻");
    assert_eq!(n.title_source, "first line");
    assert_eq!(n.agency.as_deref(), Some("青禾县委巡察办"));
    assert_eq!(n.date.as_deref(), Some("2024-05-15"));
}

#[test]
fn issue13_a_widgets_label_does_not_end_the_head() {
    let n = parse("ui_label_before_title.txt");
    assert_eq!(n.title, "禾川市防汛抗旱指挥部办公室通告(2024年第2号)");
    assert_eq!(n.agency.as_deref(), Some("禾川市防汛抗旱指挥部办公室"));
    // `24-06-11` is no date with a year; the signature's is
    assert_eq!(n.date.as_deref(), Some("2024-06-10"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    // its two items are provisions, one sentence each
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_title_that_issues_two_documents_broken_over_three_lines() {
    let n = parse("issuer_broken_title.txt");
    assert_eq!(
        n.title,
        "中共禾川市委全面依法治市委员会办公室关于印发禾川市行政执法公示办法禾川市行政执法全过程记录办法的通知"
    );
    assert_eq!(n.title_source, "lines");
    assert_eq!(
        n.agency.as_deref(),
        Some("中共禾川市委全面依法治市委员会办公室")
    );
    assert_eq!(n.doc_number.as_deref(), Some("禾法办发〔2024〕9号"));
}

#[test]
fn issue13_a_headline_repeated_under_the_issuers_line() {
    let n = parse("repeated_headline.txt");
    assert_eq!(n.title, "青禾县禾镇人民政府关于2025年春节放假安排的通知");
    // the issuer stands above the document's own title block; 未知来源
    // names no one
    assert_eq!(n.agency.as_deref(), Some("青禾县禾镇人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("above title"));
    assert_eq!(n.date.as_deref(), Some("2025-01-20"));
}

#[test]
fn issue13_a_documents_name_above_the_notice_that_issues_it() {
    let n = parse("document_name_headline.txt");
    assert_eq!(
        n.title,
        "禾川市人民政府关于印发禾川市规范性文件管理规定的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府"));
    assert_eq!(n.date.as_deref(), Some("2012-07-28"));
    assert_eq!(n.doc_number.as_deref(), Some("禾政〔2012〕41号"));
}

#[test]
fn issue13_an_outline_printed_before_the_plan_and_a_list_of_attachments() {
    let n = parse("toc_outline.txt");
    // no 目录 line: the outline's first entry comes again where the text
    // begins; the attachments listed under 附件： are no headings
    assert_eq!(tops(&n.headings), ["总则", "组织机构及职责", "预警"]);
    assert_eq!(n.date.as_deref(), Some("2024-12-25"));
}

#[test]
fn issue13_a_table_of_contents_with_dotted_leaders() {
    let n = parse("dotted_toc.txt");
    assert_eq!(
        tops(&n.headings),
        ["工作原则", "组织机构与职责", "应急响应"]
    );
    assert_eq!(tops(&n.headings[1].children), ["市应急指挥部"]);
}

#[test]
fn issue13_table_cells_set_apart_by_bars() {
    let n = parse("pipe_table.txt");
    // the page's only title is the table's 文件名称 cell
    assert_eq!(n.title, "2024年第六次县政府常务会议确定事项落实情况的通报");
    assert_eq!(n.title_source, "label:文件名称");
    // no signature: the office responsible for publishing it
    assert_eq!(n.agency.as_deref(), Some("青禾县政府办公室"));
    assert_eq!(n.agency_source.as_deref(), Some("label:公开责任部门"));
    assert_eq!(n.date.as_deref(), Some("2024-08-14"));
    assert_eq!(n.date_source.as_deref(), Some("label:成文日期"));
    assert_eq!(tops(&n.headings), ["总体情况", "工作要求"]);
}

#[test]
fn issue13_the_issuer_a_press_items_lead_names() {
    let n = parse("lead_issuer.txt");
    assert_eq!(n.title, "关于做好2025年元旦春节期间有关工作的通知");
    assert_eq!(n.title_source, "quoted");
    // in full, as the lead names them, not as the headline shortens them
    assert_eq!(
        n.agency.as_deref(),
        Some("中共云岭省委办公厅、云岭省人民政府办公厅")
    );
    assert_eq!(n.agency_source.as_deref(), Some("lead"));
    assert_eq!(n.date.as_deref(), Some("2024-12-26"));
}

#[test]
fn issue13_a_title_that_opens_with_its_bodys_name() {
    let n = parse("opening_title_agency.txt");
    assert_eq!(
        n.title,
        "青禾县住房和城乡建设局2023年度部门整体支出绩效评价报告"
    );
    // 本站原创 names no source; the body whose yearly report it is does
    assert_eq!(n.agency.as_deref(), Some("青禾县住房和城乡建设局"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(n.date.as_deref(), Some("2024-05-20"));
    assert_eq!(tops(&n.headings), ["部门概况", "绩效目标完成情况"]);
}

#[test]
fn issue13_an_author_line_naming_a_body() {
    let n = parse("author_body.txt");
    // 返回首页 and 政府信息公开 above it are no parts of the title
    assert_eq!(n.title, "禾川市地震应急预案");
    assert_eq!(n.title_source, "line");
    assert_eq!(n.agency.as_deref(), Some("禾川市应急管理局"));
    assert_eq!(n.agency_source.as_deref(), Some("label:作者"));
    assert_eq!(n.date.as_deref(), Some("2024-04-02"));
    // `1总则` with the space dropped is still the outline's top level
    assert_eq!(tops(&n.headings), ["总则", "组织体系"]);
    assert_eq!(tops(&n.headings[1].children), ["指挥机构", "工作机构"]);
}

#[test]
fn issue13_a_law_database_reposting_an_old_notice() {
    let n = parse("reposted.txt");
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府"));
    // the database's 时间 is the day it posted the notice, sixteen years on
    assert_eq!(n.date.as_deref(), Some("2008-03-12"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    assert_eq!(n.source.as_deref(), Some("法律资料网"));
}

#[test]
fn issue13_a_signature_date_that_lost_its_year_and_month() {
    let n = parse("digits_signature.txt");
    // 2024516 under the signing office: 2024-05-16 is its only reading
    assert_eq!(n.date.as_deref(), Some("2024-05-16"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    assert_eq!(tops(&n.headings), ["总则", "组织指挥体系"]);
}

#[test]
fn issue13_a_signing_bodys_name_broken_over_two_lines() {
    let n = parse("broken_signature.txt");
    assert_eq!(
        n.agency.as_deref(),
        Some("澄海縣新型冠狀病毒感染肺炎疫情防控應急指揮部")
    );
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2022-12-11"));
}

#[test]
fn issue13_a_page_run_on_into_one_line_keeps_its_labels() {
    let n = parse("run_on_labels.txt");
    // the headline ends before the labels that follow it on the same line
    assert_eq!(n.title, "青禾县关于开展2024年秋季森林防火专项检查的通知");
    assert_eq!(n.title_source, "first sentence");
    assert_eq!(n.agency.as_deref(), Some("青禾县应急管理局"));
    assert_eq!(n.agency_source.as_deref(), Some("label:来源"));
    assert_eq!(n.date.as_deref(), Some("2024-09-18"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布时间"));
}

#[test]
fn issue13_a_slogan_or_an_introduction_before_the_document() {
    // a site's slogan on the first line, then its menu: the title is the
    // line a few short lines on; 更新日期 is the page's date
    let n = parse("slogan_first_line.txt");
    assert_eq!(n.title, "青禾县人民代表大会常务委员会机关会议管理办法");
    assert_eq!(n.title_source, "line");
    assert_eq!(n.date.as_deref(), Some("2024-03-15"));
    assert_eq!(n.date_source.as_deref(), Some("label:更新日期"));

    // a document-sharing site's introduction before the red header: the
    // document starts at its header
    let n = parse("shared_red_header.txt");
    assert_eq!(
        n.title,
        "禾川省人民政府办公厅关于加强农村饮水安全工程建设管理的通知"
    );
    assert_eq!(n.title_source, "lines");
    assert_eq!(n.agency.as_deref(), Some("禾川省人民政府办公厅"));
    assert_eq!(n.doc_number.as_deref(), Some("禾政办发〔2010〕31号"));
    assert_eq!(tops(&n.headings), ["加强规划管理", "严格建设程序"]);
}

#[test]
fn issue13_a_document_numbers_year_marks_a_reposts_stamp() {
    let n = parse("shared_red_header.txt");
    // 时间:2020-06-18 is the day the sharing site took the 2010 document
    // in; with no signature there is no date of the notice's own
    assert_eq!(n.date, None, "{:?}", n.date_source);
}

#[test]
fn issue13_a_notice_reprinted_after_a_paragraph_that_announces_it() {
    let n = parse("announced_reprint.txt");
    // the page's headline is a question; the notice follows 通告全文如下
    assert_eq!(n.title, "关于加强秸秆禁烧工作的通告");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2023-05-20"));
    assert_eq!(tops(&n.headings), ["禁烧范围", "违法处理"]);
}

#[test]
fn issue13_a_long_item_next_in_an_open_list_is_a_heading() {
    let n = parse("long_lead_heading.txt");
    let h = tops(&n.headings);
    assert_eq!(h.len(), 3, "{h:?}");
    assert_eq!(h[0], "压实防汛责任");
    // over 60 characters, but the next of its list, with its paragraph below
    assert!(h[1].starts_with("各乡镇、各有关部门要在5月底前"), "{h:?}");
    assert_eq!(n.headings[1].number, "二、");
    assert_eq!(h[2], "强化值班值守");
}

#[test]
fn issue13_a_notices_provisions_are_no_headings() {
    // a 通告's items, each one whole sentence right above the next, and the
    // last one under them (`三、本通告自发布之日起施行。`): its provisions
    let n = parse("long_numbered_item.txt");
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    // each provision is a section of its own, as a law's article is
    let provision = n
        .sections
        .iter()
        .find(|s| s.text.starts_with("二、本通告所称秸秆"))
        .expect("the second provision's section");
    assert_eq!(provision.heading_path, ["二、"]);
    assert!(!provision.text.contains("本通告自发布之日起施行"));
    // while a 公告's item with its own items below names them
    let n = parse("item_over_items.txt");
    assert_eq!(tops(&n.headings), ["巡察安排", "受理信访方式"]);
    // (the groups' identical field lines are no table of contents hiding
    // the second group)
    let groups: Vec<&str> = n.headings[0]
        .children
        .iter()
        .map(|h| h.text.as_str())
        .collect();
    assert_eq!(
        groups,
        [
            "市委第三巡察组巡察青禾县委、县政府及其工作部门",
            "市委第三巡察组同步巡察青禾县纪委监委"
        ]
    );
}

#[test]
fn issue13_a_news_item_is_its_sources_own_report() {
    let n = parse("news_site_source.txt");
    assert_eq!(n.title, "青禾县:十届县委第五轮巡察启动");
    // a news item names no document: 禾川纪检监察网 wrote it, as a paper
    // writes its own reports (a notice it carried would still be the
    // issuer's: issue13_a_republishing_discipline_site_is_the_source)
    assert_eq!(n.agency.as_deref(), Some("禾川纪检监察网"));
    assert_eq!(n.agency_source.as_deref(), Some("label:来源"));
    assert_eq!(n.source.as_deref(), Some("禾川纪检监察网"));
    assert_eq!(n.date.as_deref(), Some("2025-03-10"));
}

#[test]
fn issue13_pinyin_glosses_after_characters() {
    let n = parse("pinyin_glosses.txt");
    // read through the glosses (關(guān)于, 時(shí)間), shown as the page has them
    assert_eq!(
        n.title,
        "禾川市人民政府辦公廳關(guān)于加強城市供水安全管理的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府辦公廳"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(n.date.as_deref(), Some("2019-04-02"));
    assert_eq!(n.date_source.as_deref(), Some("label:时间"));
    assert_eq!(
        tops(&n.headings),
        ["落實(shí)供水安全責任", "加強水質(zhì)監(jiān)測"]
    );
    // the text is searchable without the glosses
    assert!(
        n.sections[1].text.contains("供水安全責任制"),
        "{}",
        n.sections[1].text
    );
}

#[test]
fn issue13_a_columns_name_standing_alone_above_the_title() {
    let n = parse("column_name_alone.txt");
    // 通知公告 (the breadcrumb's column) and 推荐通知公告 are no titles
    assert_eq!(
        n.title,
        "禾川市农业农村局关于做好春季动物疫病防控工作的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("禾川市农业农村局"));
    assert_eq!(n.date.as_deref(), Some("2025-02-27"));
    assert_eq!(tops(&n.headings), ["加强免疫接种", "强化监测排查"]);
}

#[test]
fn issue13_icons_in_place_of_labels() {
    let n = parse("icon_dateline.txt");
    // 🕓 before the date after the font buttons, 🔗 before the source
    assert_eq!(n.date.as_deref(), Some("2025-03-05"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
    assert_eq!(n.source.as_deref(), Some("青禾县林业局"));
    assert_eq!(n.agency.as_deref(), Some("青禾县林业局"));
}

#[test]
fn issue13_a_flattened_forwarding_notice_signed_before_its_annex() {
    let n = parse("flattened_annex.txt");
    // the forwarded document's kind, then the notice's own
    assert_eq!(
        n.title,
        "禾川市人民政府办公厅转发市应急管理局关于开展安全生产隐患排查情况的通报的通知"
    );
    // the body that forwards, not the one whose document it is
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府办公厅"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    // the date between the text and 附：, not the annex's dates
    assert_eq!(n.date.as_deref(), Some("2023-05-08"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_an_advertisements_link_pasted_before_the_title() {
    let n = parse("ad_link_title.txt");
    assert_eq!(n.title, "青禾县防汛抗旱指挥部关于加强清水河堤防巡查的通知");
    assert_eq!(n.agency.as_deref(), Some("青禾县防汛抗旱指挥部"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(n.headings.len(), 2);
}

#[test]
fn issue13_a_law_databases_code_for_the_issuer_names_no_one() {
    let n = parse("code_issuer.txt");
    // 【生效日期】 and 【所属类别】 are labels, no part of the title
    assert_eq!(n.title, "禾川市城市绿化管理办法");
    // 【发布单位】60417 is a code
    assert_eq!(n.agency, None, "{:?}", n.agency_source);
    assert_eq!(n.date.as_deref(), Some("2004-09-20"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布日期"));
}

#[test]
fn issue13_a_sites_clock_above_the_title_is_chrome() {
    let n = parse("clock_banner.txt");
    // 今天是:…星期二 is the site's clock, and 公告公示 the column's name:
    // neither is part of the title
    assert_eq!(n.title, "青禾县应急管理局关于做好汛期安全防范工作的通知");
    assert_eq!(n.agency.as_deref(), Some("青禾县应急管理局"));
    assert_eq!(n.date.as_deref(), Some("2025-06-02"));
    assert_eq!(tops(&n.headings), ["压实防汛责任", "加强隐患排查"]);
}

#[test]
fn issue13_a_labelled_item_among_headings_is_a_heading() {
    // 一、管制时间：… is worded as a pair, but its siblings 二、 and 三、 are
    // headings, so its label is the heading too
    let n = parse("pair_beside_headings.txt");
    assert_eq!(
        tops(&n.headings),
        ["管制时间", "管制路段", "管制措施", "注意事项"]
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县公安局交通警察大队"));
    // a list made of such pairs stays a list (holiday_list.txt)
    let n = parse("holiday_list.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_flattened_body_keeps_its_inline_outline() {
    let want_tops = ["检查范围", "检查内容", "工作要求", "时间安排"];
    let want_subs = ["安全生产责任落实情况", "隐患排查治理情况"];
    let n = parse("inline_outline.txt");
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于开展2024年秋季安全生产大检查的通知"
    );
    assert_eq!(tops(&n.headings), want_tops);
    assert_eq!(tops(&n.headings[1].children), want_subs);
    // 第（一）项 inside a sentence is a reference, not a part
    assert!(n.headings[2].children.is_empty(), "{:?}", n.headings[2]);
    assert_eq!(n.date.as_deref(), Some("2024-08-22"));

    // the whole page on one line, title and labels included
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages/inline_outline.txt");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let sb = Sandbox::new();
    sb.add_corpus_file("flat.txt", text.replace('\n', " ").as_bytes());
    let out = sb.run(&["parse", "--json", "corpus/flat.txt"]);
    out.assert_code(0);
    let n: ParseOut = out.json();
    assert_eq!(tops(&n.headings), want_tops);
    assert_eq!(tops(&n.headings[1].children), want_subs);
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
}

#[test]
fn issue13_an_outline_listed_with_bare_top_entries_before_the_text() {
    // the plan's contents list its top level without numbers (总则 over
    // 1.1 编制目的); the text numbers them (1 总则): only the text's are
    // headings, and in the right tree
    let n = parse("toc_bare_entries.txt");
    assert_eq!(
        tops(&n.headings),
        ["总则", "组织指挥体系", "监测预警", "附则"]
    );
    assert_eq!(tops(&n.headings[0].children), ["编制目的", "适用范围"]);
    assert_eq!(tops(&n.headings[2].children), ["监测", "预警"]);
}

#[test]
fn issue13_a_notices_clauses_are_not_headings() {
    // 通告 clauses are sentences; the one short clause among them
    // (四、本通告自发布之日起施行) is a clause too
    let n = parse("clause_list.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    // a list of pairs stays a list, also its item with a longer label
    // (四、中秋节、国庆节：…)
    let n = parse("holiday_list.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_header_of_issuer_and_kind_over_its_number() {
    // 某某支队通告 / 2025年第3号 / the title over two lines
    let n = parse("kind_header.txt");
    assert_eq!(
        n.title,
        "关于2025青禾国际马拉松比赛期间对部分道路采取临时交通管制的通告"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾市公安局交通警察支队"));
    assert_eq!(n.agency_source.as_deref(), Some("above title"));
    // no date printed: none invented from 2025年第3号
    assert_eq!(n.date, None);
}

#[test]
fn issue13_a_headline_abridged_from_the_notices_title() {
    let n = parse("abridged_headline.txt");
    assert_eq!(
        n.title,
        "2025年青禾“马拉松赛事”期间对部分路段实施交通管理的通告"
    );
    // the page's stamp (04-10) is after the signature (04-08): a posting's
    assert_eq!(n.date.as_deref(), Some("2025-04-08"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    assert_eq!(n.agency.as_deref(), Some("青禾市公安局交管支队"));
}

#[test]
fn issue13_an_order_signed_by_the_governor() {
    // 某省人民政府令 names the issuer; 省长 over the date signs it; the law
    // site's crawl time is not the date
    let n = parse("order_signed.txt");
    assert_eq!(n.title, "青禾省气象灾害防御规定");
    assert_eq!(n.agency.as_deref(), Some("青禾省人民政府"));
    assert_eq!(n.date.as_deref(), Some("2015-03-20"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_column_named_like_a_red_header() {
    // 政府文件 above the title is the column's name, not a red header
    // naming 政府 as the issuer
    let n = parse("generic_column.txt");
    assert_eq!(n.title, "关于印发《青禾市人民政府工作规则》的通知");
    assert_eq!(n.agency.as_deref(), Some("青禾市人民政府"));
    assert_eq!(n.date.as_deref(), Some("2024-10-14"));
}

#[test]
fn issue13_a_flattened_traditional_post_with_labels_after_its_signature() {
    // a forum's breadcrumb with › and its post time above a body on one
    // line, whose signature is followed by 作者:/信息來源: labels
    let n = parse("flat_signature_labels.txt");
    assert_eq!(n.title, "關於2025年元旦放假安排的通告");
    assert_eq!(n.agency.as_deref(), Some("青禾縣人民政府辦公室"));
    assert_eq!(n.date.as_deref(), Some("2024-12-20"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_press_item_whose_lead_names_joint_issuers() {
    // the headline shortens the bodies (两高两部); the lead names them
    // before 近日联合发布《…》, then the notice is reprinted in full
    let n = parse("press_joint_lead.txt");
    assert_eq!(n.title, "关于敦促涉诈在逃人员投案自首的通告");
    assert_eq!(
        n.agency.as_deref(),
        Some("最高人民法院、最高人民检察院、公安部、司法部")
    );
    assert_eq!(n.agency_source.as_deref(), Some("lead"));
}

#[test]
fn issue13_a_stamp_with_a_byline_run_on() {
    let n = parse("byline_stamp.txt");
    assert_eq!(n.date.as_deref(), Some("2025-03-17"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
    assert_eq!(n.agency.as_deref(), Some("中共青禾镇委员会"));
}

#[test]
fn issue13_a_signature_closing_the_attachment_line() {
    // 附件：…名单 某省人民政府 over the date, then a long list of names
    let n = parse("attachment_signer.txt");
    assert_eq!(n.date.as_deref(), Some("2025-03-12"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_source_naming_a_body_and_its_site() {
    // 来源:某市纪委监委 某市纪检监察网 — the body, not its website
    let n = parse("source_body_site.txt");
    assert_eq!(n.agency.as_deref(), Some("中共青禾市纪委监委"));
    assert_eq!(n.agency_source.as_deref(), Some("label:来源"));
}

#[test]
fn issue13_a_headline_saying_a_body_published_the_notice() {
    let n = parse("announced_headline.txt");
    assert_eq!(n.title, "关于划定养犬重点管理区和一般管理区的通告");
    assert_eq!(n.agency.as_deref(), Some("青禾区人民政府"));
}

#[test]
fn issue13_orders_titled_and_numbered() {
    // 封山令 is a kind of document; the line under the clock stamp is its title
    let n = parse("order_title.txt");
    assert_eq!(n.title, "2025青禾县人民政府森林防火封山令");
    assert_eq!(n.date.as_deref(), Some("2025-08-17"));
    // an issuer's line over its order number: both are the title
    let n = parse("numbered_order.txt");
    assert_eq!(n.title, "青禾县新冠肺炎疫情防控指挥部2号令");
    assert_eq!(n.agency.as_deref(), Some("青禾县新冠肺炎疫情防控指挥部"));
    assert_eq!(
        tops(&n.headings),
        ["严格落实人员排查", "严格落实省、市防控指挥部的要求"]
    );
}

#[test]
fn issue13_a_case_named_with_commas_is_still_a_heading() {
    // a 通报's cases name a matter (…违规收受礼品、礼金，接受…宴请问题):
    // commas make no sentence of them, unlike a 通告's clauses
    let n = parse("case_headings.txt");
    assert_eq!(
        tops(&n.headings),
        [
            "青禾市卫生健康委原党组成员、副主任王某某违规收受礼品、礼金，接受可能影响公正执行公务的宴请问题",
            "青禾县交通运输局原局长李某某违规发放津贴补贴，违规公款吃喝问题"
        ]
    );
}

#[test]
fn issue13_an_unsigned_inspection_announcement_is_its_committees() {
    // the office the text sends reports to, when it names it in full
    let n = parse("inspection_announcement.txt");
    assert_eq!(n.title, "九届市委第三轮巡察公告");
    assert_eq!(
        n.agency.as_deref(),
        Some("中共云岫市委巡察工作领导小组办公室")
    );
    assert_eq!(n.agency_source.as_deref(), Some("inspection"));
    assert_eq!(n.date, None);
    // else the committee whose deployment it follows, as the text names it
    let n = parse("inspection_committee.txt");
    assert_eq!(n.agency.as_deref(), Some("溪桥县委"));
    assert_eq!(n.agency_source.as_deref(), Some("inspection"));
    assert_eq!(tops(&n.headings), ["巡察时间", "受理范围"]);
}

#[test]
fn issue13_the_document_numbers_organ_code_names_the_issuer() {
    // 澄府 is 澄川市人民政府's code; the page's 来源 (本站原创) names nobody
    let n = parse("number_issuer.txt");
    assert_eq!(n.title, "关于印发《澄川市人民政府议事规则》的通知");
    assert_eq!(n.doc_number.as_deref(), Some("澄府〔2019〕12号"));
    assert_eq!(n.agency.as_deref(), Some("澄川市人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("document number"));
}

#[test]
fn issue13_a_signer_run_on_to_the_last_sentence() {
    // the page's source line and posting stamp after it sign nothing
    let n = parse("signature_run_on.txt");
    assert_eq!(n.title, "背街小巷环境整治工作方案");
    assert_eq!(
        n.agency.as_deref(),
        Some("松湾市背街小巷环境整治工作领导小组")
    );
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date, None);
    assert_eq!(tops(&n.headings), ["整治内容", "工作要求"]);
}

#[test]
fn issue13_items_numbered_on_across_chapters_are_articles() {
    // 一、二、三、 in chapter one, 四、五、 in chapter two: provisions of a
    // 工作规则, not headings, however short
    let n = parse("chapter_articles.txt");
    assert_eq!(tops(&n.headings), ["总 则", "组成人员职责", "会议制度"]);
    assert!(
        n.headings.iter().all(|h| h.children.is_empty()),
        "{:?}",
        n.headings
    );
    // items that start again at 一、 in each chapter are its sections
    let n = parse("chapter_sections.txt");
    assert_eq!(tops(&n.headings), ["总体要求", "重点任务"]);
    assert_eq!(
        tops(&n.headings[1].children),
        ["发展特色产业", "改善人居环境"]
    );
}

#[test]
fn issue13_a_meeting_notices_fields_are_not_headings() {
    // 会议时间：… / 会议地点：… / 参会人员： over its entries, the entries
    // closed by semicolons: a form filled in, not an outline
    let n = parse("meeting_fields.txt");
    assert_eq!(n.agency.as_deref(), Some("云岫县人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-03-01"));
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
}

#[test]
fn issue13_an_e_papers_page_label_heads_the_article() {
    let n = parse("paper_page_label.txt");
    // the link bar above the page label is the e-paper site's
    assert_eq!(n.title, "青禾县汛期专项巡察全面启动");
}

#[test]
fn issue13_a_headline_over_its_stamp_set_apart_by_a_bar() {
    let n = parse("news_stamp_bar.txt");
    // the site's name and menus above the headline are passed over
    assert_eq!(n.title, "青禾县巡察整改工作的难点与对策");
    assert_eq!(n.date.as_deref(), Some("2023-04-11"));
    // a news item, not a document: the site that wrote it is its author
    assert_eq!(n.agency.as_deref(), Some("青禾纪委网"));
    assert_eq!(tops(&n.headings), ["巡察整改工作的基本情况"]);
}

#[test]
fn issue13_a_meeting_is_no_issuer() {
    let n = parse("meeting_held.txt");
    // `…动员部署会召开`: the meeting was held; it issued nothing
    assert_eq!(n.agency.as_deref(), Some("县纪委监委网站"));
    assert_eq!(n.agency_source.as_deref(), Some("label:来源"));
    assert_eq!(n.date.as_deref(), Some("2025-03-20"));
}

#[test]
fn issue13_a_text_that_starts_with_its_body_has_no_title() {
    // its 文号 and its salutation are not a title
    let n = parse("body_first.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.title_source, "none");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-03-26"));
    assert_eq!(n.doc_number.as_deref(), Some("青府办函〔2024〕12号"));
    // nor is its first sentence; the text is all there
    let n = parse("body_first_sentence.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert!(
        n.sections[0]
            .text
            .starts_with("当前，我县已进入森林火险高危时段")
    );
}

#[test]
fn issue13_a_notice_without_a_title_is_listed_by_its_file_name() {
    let sb = Sandbox::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages/body_first.txt");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    sb.add_corpus_file("清明放假.txt", &bytes);
    sb.index_cmd(&[]).assert_code(0);
    let res = sb.search_json(&["清明节"], 0);
    assert_eq!(res.ids(), ["清明放假.txt"]);
    assert_eq!(res.hits[0].title, "");
    let text = sb.search(&["--color", "never", "清明节"]);
    text.assert_code(0);
    assert!(text.stdout.contains("1. 清明放假.txt"), "{}", text.stdout);
}

#[test]
fn issue13_a_traditional_decisions_adoption_line_dates_it() {
    let n = parse("traditional_decision.txt");
    assert_eq!(
        n.title,
        "青禾市人民代表大會常務委員會關於授予榮譽市民稱號的決定"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾市人民代表大會常務委員會"));
    // (…會議通過) under the title, read as 通过
    assert_eq!(n.date.as_deref(), Some("2023-06-28"));
    assert_eq!(n.date_source.as_deref(), Some("version"));
}

#[test]
fn issue13_a_flattened_lists_labels_set_apart_by_spaces() {
    let n = parse("flattened_labels.txt");
    // each label stood on its own line above its content
    assert_eq!(
        tops(&n.headings),
        ["临时交通管制时间", "交通管制路段", "管制措施", "其他提示"]
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县公安局交通警察大队"));
}

#[test]
fn issue13_an_order_issued_by_a_notice_lays_down_provisions() {
    let n = parse("ban_order.txt");
    // `特发布如下禁火令`: its items are the order's provisions and fields,
    // none a heading (`违反本禁火令者，将依法依规处理` has one comma)
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
}

#[test]
fn issue13_a_story_that_opens_with_its_dateline() {
    let n = parse("dateline_story.txt");
    // the dateline is no title; its agency wrote the story
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("青禾社"));
    assert_eq!(n.agency_source.as_deref(), Some("dateline"));
}

#[test]
fn issue13_an_images_file_name_above_the_headline() {
    let n = parse("image_name.txt");
    assert_eq!(n.title, "第七轮巡视整改进展情况全部公布");
    assert_eq!(n.date.as_deref(), Some("2022-04-18"));
    assert_eq!(n.agency.as_deref(), Some("青禾新闻网"));
}

#[test]
fn issue13_a_flattened_notice_signs_before_its_attached_plan() {
    let n = parse("flattened_annex_signer.txt");
    // the body runs on one line past its signature into the attached plan;
    // the signer stands between the attachment's name and the date
    assert_eq!(n.agency.as_deref(), Some("禾川市青溪区青禾镇人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    // the disclosure table's 生成日期 is the day the document was made
    assert_eq!(n.date.as_deref(), Some("2022-06-09"));
    assert_eq!(n.date_source.as_deref(), Some("label:生成日期"));
}

#[test]
fn issue13_a_catalogue_pages_caption_and_joined_date_row() {
    let n = parse("catalogue_row.txt");
    // `政策文件详细信息` captions the page: no part of the title
    assert_eq!(
        n.title,
        "禾川省人民政府办公厅关于做好2008年春季植树造林工作的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("禾川省人民政府办公厅"));
    // `实施日期:…,发布日期:…` in one cell: the publication date
    assert_eq!(n.date.as_deref(), Some("2008-02-27"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布日期"));
}

#[test]
fn issue13_an_order_titled_by_its_body_and_subject() {
    let n = parse("order_subject_title.txt");
    // no 关于: the body before the subject issues it, not the State Council
    // of a cited regulation (国务院令第541号)
    assert_eq!(n.title, "青禾县人民政府森林防火禁火令");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
}

#[test]
fn issue13_a_law_cited_as_the_basis_is_no_title() {
    let n = parse("cited_basis_no_title.txt");
    // 根据《…条例》…通告如下: the lead cites its basis, it announces no
    // document of that name; a page button and a registration code are
    // no title either
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.title_source, "none");
}

#[test]
fn issue13_an_order_titled_with_its_yearly_number() {
    let n = parse("numbered_order_title.txt");
    // `森林防火禁火令〔2023〕第3号` ends like a 文号 but is the title; the
    // breadcrumb above it is not
    assert_eq!(n.title, "森林防火禁火令〔2023〕第3号");
    assert_eq!(n.date.as_deref(), Some("2023-09-18"));
}

#[test]
fn issue13_a_signature_dated_without_its_year() {
    let n = parse("yearless_signature.txt");
    // `12月20日` under the signer: the signer issues it, no date is made up
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date, None);
}

#[test]
fn issue13_a_news_items_dateline_and_retold_report_name_the_outlet() {
    // `某某晚报某某客户端6月12日讯`: the paper's own report
    let n = parse("news_datelines.txt");
    assert_eq!(n.agency.as_deref(), Some("禾川晚报"));
    assert_eq!(n.agency_source.as_deref(), Some("dateline"));
    // `据某某网报道 …`: the outlet's report retold; no title line
    let n = parse("retold_report.txt");
    assert_eq!(n.agency.as_deref(), Some("禾川先锋网"));
    assert_eq!(n.title, "", "{:?}", n.title_source);
}

#[test]
fn issue13_an_order_signed_by_its_head_with_a_colon() {
    let n = parse("order_leader_colon.txt");
    // `市长: 林 远` over the date signs the order; the law database's
    // posting stamp (时间:2024-05-11) is not its date
    assert_eq!(n.date.as_deref(), Some("2009-03-10"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_law_databases_fields_run_into_their_values() {
    let n = parse("glued_fields.txt");
    // `发文机关中共…党组`, `发文日期2022年11月15日`: fields, not a title
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("中共禾川省水利厅党组"));
    assert_eq!(n.agency_source.as_deref(), Some("label:发文机关"));
    assert_eq!(n.date_source.as_deref(), Some("label:发文日期"));
    assert_eq!(n.doc_number.as_deref(), Some("禾水发〔2022〕48号"));
}

#[test]
fn issue13_a_fields_date_without_its_day_mark() {
    let n = parse("field_day_unmarked.txt");
    // `时效性 :现行有效` is a field; `发布日期:2019年04月08` lost its 日
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.date.as_deref(), Some("2019-04-08"));
    assert_eq!(n.date_source.as_deref(), Some("label:发布日期"));
}

#[test]
fn issue13_a_sites_slogan_above_a_text_without_title() {
    let n = parse("slogan_before_body.txt");
    // `开启全网商机` / `登录/注册` / `****` above a body that opens at once
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(tops(&n.headings), ["拟征收土地的目的", "工作安排"]);
}

#[test]
fn issue13_a_posting_stamp_with_a_two_digit_year() {
    let n = parse("short_year_stamp.txt");
    // `最后更新:23-06-12 09:30:05`: the clock makes it a stamp
    assert_eq!(n.date.as_deref(), Some("2023-06-12"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
}

#[test]
fn issue13_a_clause_cut_off_at_the_pages_end_names_no_body() {
    let n = parse("cut_off_duties.txt");
    // `…和机关党委负责本委` ends on 委 but names duties: not a signer
    assert_ne!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.agency.as_deref(), Some("州人大"));
}

#[test]
fn issue13_a_headline_retelling_the_document_shorter() {
    let n = parse("retold_headline.txt");
    // the aggregator's `…招聘56人公告` above its stamp, then the document's
    // own longer 公告 title: the document's wins
    assert_eq!(n.title, "青禾市2024年事业单位统一公开招聘工作人员公告");
    assert_eq!(n.date.as_deref(), Some("2024-02-19"));
}

#[test]
fn issue13_a_signer_over_the_last_date_looked_at() {
    let n = parse("signed_over_rules.txt");
    // the notice signs above the rules it issues; its date is the last
    // line the signature search reaches, the signer one line further
    assert_eq!(n.agency.as_deref(), Some("青禾市人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2024-05-15"));
}

#[test]
fn issue13_a_registration_code_above_an_order_without_a_title() {
    let n = parse("registration_code_first.txt");
    // `HCG-2024-003` is the order's registration number, no title; the
    // text starts with its body
    assert_eq!(n.title, "");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.date.as_deref(), Some("2024-09-20"));
    // `特发布森林防火禁火令` makes it an order: its long clause (三、) is a
    // provision, even as the next item of a list of headings
    assert_eq!(tops(&n.headings), ["禁火区域", "禁火期限", "违法处理"]);
}

#[test]
fn issue13_padding_saved_as_question_marks() {
    let n = parse("question_mark_padding.txt");
    // `禾川县人民政府????????` / `2023年2月13日????????`: spaces a page's
    // encoding could not hold
    assert_eq!(n.agency.as_deref(), Some("禾川县人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2023-02-13"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_an_outlets_dateline_and_its_byline() {
    let n = parse("outlet_dateline.txt");
    // the byline is no title; `禾川讯` names the paper that wrote it
    assert_eq!(n.title, "");
    assert_eq!(n.agency.as_deref(), Some("禾川"));
    assert_eq!(n.agency_source.as_deref(), Some("dateline"));
    assert_eq!(n.date, None);
}

#[test]
fn issue13_a_source_line_dated_after_its_outlet() {
    let n = parse("source_line_date.txt");
    // a headline exclaiming before its last words is still one headline
    assert_eq!(n.title, "春节放假安排来了！今年休8天");
    assert_eq!(n.agency.as_deref(), Some("禾川晚报"));
    // `来源: 禾川晚报 2024年01月05日`: the day it was posted
    assert_eq!(n.date.as_deref(), Some("2024-01-05"));
}

#[test]
fn issue13_a_party_committees_rules_titled_without_guanyu() {
    let n = parse("party_rules_title.txt");
    assert_eq!(n.agency.as_deref(), Some("禾川职业学院党委"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(tops(&n.headings), ["巡察准备", "巡察实施"]);
}

#[test]
fn issue13_a_forum_repost_salted_with_noise() {
    let n = parse("forum_repost_noise.txt");
    // the thread's counters and buttons are no part of the title; the
    // noise runs hidden in the post's lines are read out of it
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于2024年 部分节假日安排的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.doc_number.as_deref(), Some("青政办明电〔2023〕9号"));
    // the signature's date, not the day the forum post went up
    assert_eq!(n.date.as_deref(), Some("2023-12-20"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    assert!(n.sections.iter().all(|s| !s.text.contains("{% P8")));
}

#[test]
fn issue13_a_reprint_noting_its_original_title() {
    let n = parse("reprint_original_title.txt");
    // `原标题:` notes what the source called it: the issuers' lines and the
    // 关于 line above are the title, and the document cited in the body
    // issued nothing here
    assert_eq!(
        n.title,
        "中共青禾县委办公室 青禾县人民政府办公室关于做好2024年元旦春节期间有关工作的通知"
    );
    assert_eq!(
        n.agency.as_deref(),
        Some("中共青禾县委办公室、青禾县人民政府办公室")
    );
    assert_eq!(n.date.as_deref(), Some("2023-12-28"));
    assert_eq!(n.source.as_deref(), Some("禾川日报"));
}

#[test]
fn issue13_a_flattened_page_signing_after_its_attachments_file_name() {
    let n = parse("attachment_file_signer.txt");
    // `…通知.pdf青禾县农业农村局2024年9月6日扫一扫…`: the signer and date
    // run on after the file's name; 9月9日 is a deadline
    assert_eq!(n.agency.as_deref(), Some("青禾县农业农村局"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2024-09-06"));
}

#[test]
fn issue13_a_list_of_conditions_closed_mostly_by_semicolons() {
    let n = parse("conditions_list.txt");
    // four of six entries end with ；, one runs on, one lost its stop: one
    // enumeration, no headings under 招聘条件
    assert_eq!(tops(&n.headings), ["招聘原则", "招聘条件", "报名方式"]);
    assert!(n.headings[1].children.is_empty(), "{:?}", n.headings[1]);
}

#[test]
fn issue13_a_news_item_posted_by_the_site_its_page_title_names() {
    let n = parse("page_title_site.txt");
    assert_eq!(n.title, "校党委向机关党委反馈第二轮巡察情况");
    // no 来源: the browser title's `…-禾川大学党委巡察办` says who posted it
    assert_eq!(n.agency.as_deref(), Some("禾川大学党委巡察办"));
    assert_eq!(n.agency_source.as_deref(), Some("page title"));
    assert_eq!(n.date.as_deref(), Some("2024-05-20"));
}

#[test]
fn issue13_a_stamp_months_before_a_yearless_signature_is_a_reposts() {
    // signed `10月14日` without its year, stamped 2021-05-13 by the site
    // that copied it: the stamp is no date of the notice
    let n = parse("yearless_repost.txt");
    // (the aggregator's `「通告」` tag is a column name, not the issuer's)
    assert_eq!(n.title, "青禾县人民政府关于严禁露天焚烧秸秆的通告");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.date, None);
    // stamped two days after 10月14日: the day it was posted
    let n = parse("yearless_posted.txt");
    assert_eq!(n.date.as_deref(), Some("2021-10-16"));
    assert_eq!(n.date_source.as_deref(), Some("label:时间"));
}

#[test]
fn issue13_an_apps_byline_opening_the_story() {
    let n = parse("app_byline.txt");
    // `云上青禾报道：` names the outlet whose report this is; the reporter
    // in brackets at the end is a person, no body
    assert_eq!(n.title, "");
    assert_eq!(n.agency.as_deref(), Some("云上青禾"));
    assert_eq!(n.agency_source.as_deref(), Some("dateline"));
    assert_eq!(n.date, None);
}

#[test]
fn issue13_a_news_item_credited_in_brackets_at_its_end() {
    let n = parse("closing_credit.txt");
    assert_eq!(n.title, "禾川镇启动镇级第一轮巡察工作");
    // `…工作。（青禾县政府网）`, with the forum's pager after it
    assert_eq!(n.agency.as_deref(), Some("青禾县政府网"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_forum_repost_crediting_the_issuer_on_its_own_line() {
    let n = parse("repost_credit.txt");
    // the thread's buttons are furniture, `[复制链接]` no part of the subject
    assert_eq!(n.title, "青禾县发布森林防火禁火通告");
    // the body credited under the story issued the ban it reports
    assert_eq!(n.agency.as_deref(), Some("青禾县林业局"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
    // the credit in brackets is no cross-head
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_footer_claiming_the_story_names_its_outlet() {
    let n = parse("original_footer.txt");
    // `（林小禾）` is the writer; `文章为禾川融媒体中心原创` the outlet
    assert_eq!(n.agency.as_deref(), Some("禾川融媒体中心"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
}

#[test]
fn issue13_short_items_over_their_own_lines_among_a_notices_clauses() {
    let n = parse("heads_over_clauses.txt");
    // 一–三 stand over a paragraph each; 四–六 are the notice's clauses,
    // sections of their own but no headings
    assert_eq!(
        tops(&n.headings),
        ["禁燃禁放范围", "禁燃禁放时间", "禁燃禁放种类"]
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
    assert_eq!(n.date.as_deref(), Some("2025-01-20"));
}

#[test]
fn issue13_a_decimal_outline_cut_after_its_first_part() {
    let n = parse("outline_cut_short.txt");
    // the page stops inside part 1: `1 总则` with 1.1–1.4 under it is an
    // outline all the same, and `1.2 编制依据` no unnumbered cross-head
    assert_eq!(tops(&n.headings), ["总则"]);
    let subs: Vec<&str> = n.headings[0]
        .children
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(subs, ["编制目的", "编制依据", "适用范围", "工作原则"]);
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
}

#[test]
fn issue13_a_news_item_reprinting_a_notice_in_its_leads_paragraph() {
    let n = parse("reprint_run_on.txt");
    // the page's headline is the news item's; the notice it reprints after
    // `全文如下:`, run on in the same paragraph, is the document
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于成立秸秆禁烧工作领导小组的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
}

#[test]
fn issue13_a_posts_parts_numbered_with_a_slash() {
    let n = parse("slash_parts.txt");
    // `01 / 指导思想` numbers a WeChat post's parts; (一) nests under them
    assert_eq!(tops(&n.headings), ["指导思想", "基本原则", "招生对象"]);
    let subs: Vec<&str> = n.headings[1]
        .children
        .iter()
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        subs,
        ["坚持相对就近、免试入学的原则", "坚持公平、公正、公开的原则"]
    );
}

#[test]
fn issue13_a_meeting_notices_requests_are_one_list() {
    let n = parse("meeting_requests.txt");
    // items opening with 请/邀请 ask the readers to act: one enumeration of
    // arrangements, none of its items a heading (its last one included)
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
}

#[test]
fn issue13_a_stray_decimal_numbered_line_is_no_cross_head() {
    let n = parse("stray_decimal_line.txt");
    // one `2.3 储备要求` line, no outline around it: not an unnumbered
    // cross-head either
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.agency.as_deref(), Some("青禾县防汛抗旱指挥部办公室"));
}

#[test]
fn issue13_a_skip_link_and_the_sites_particulars_are_no_title() {
    let n = parse("skip_link_particulars.txt");
    // `跳转到主要内容`, `主办单位: …`, `投稿邮箱: …` above a body with no title
    assert_eq!(n.title, "", "{}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("青禾县新冠肺炎防控工作指挥部"));
    assert_eq!(n.date.as_deref(), Some("2020-07-03"));
}

#[test]
fn issue13_a_consultation_notices_opening_does_not_title_it_with_the_draft() {
    let n = parse("consultation_opening.txt");
    // the lead puts a draft out for comment; the notice itself has no title
    assert_eq!(n.title, "", "{}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("青禾县司法局"));
    // the ways to comment give a web address, a postcode, a mail box: no
    // headings
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_items_that_are_long_sentences_are_no_headings() {
    // a text opening with its first item, each item an event told in a
    // sentence of clauses
    let n = parse("sentence_items.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.agency.as_deref(), Some("青禾水务发展有限公司"));
    // a flattened body whose items are requirements (`各乡镇…要…`)
    let n = parse("requirement_items.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.date.as_deref(), Some("2024-08-10"));
}

#[test]
fn issue13_items_that_follow_one_another_with_nothing_under_them_are_no_headings() {
    // a 告知书's requests, each one sentence on a line of its own, one
    // straight after another: paragraphs of a list, whatever their length
    let n = parse("paragraph_items.txt");
    assert!(n.headings.is_empty(), "{:?}", n.headings);
    assert_eq!(n.agency.as_deref(), Some("禾川镇人民政府"));
    assert_eq!(n.date.as_deref(), Some("2024-04-12"));
    // in a reply, the item whose lead names a matter before its paragraph
    // heads it; the closing provisions beside it do not
    let n = parse("matter_reply_items.txt");
    let heads: Vec<&str> = n.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(heads, ["关于财产查控期限问题"], "{:?}", n.headings);
}

#[test]
fn issue13_a_joint_signature_set_in_columns_names_every_body() {
    // six bodies sign in three rows of two over one date: the issuers are
    // all of them, read row by row, and no row is a cross-head
    let n = parse("joint_signature_rows.txt");
    assert_eq!(n.title, "关于印发青禾县汛期安全联合检查方案的通知");
    assert_eq!(
        n.agency.as_deref(),
        Some(
            "青禾县水利局、青禾县应急管理局、青禾县自然资源局、\
             青禾县住房和城乡建设局、青禾县交通运输局、青禾县气象局"
        )
    );
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2023-05-30"));
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_notice_putting_a_draft_of_articles_out_for_comment_keeps_its_parts() {
    // the notice's own parts (一、二、三、) above its signature are headings;
    // the draft under it is read as a law, its articles under none of them
    let n = parse("draft_for_comment.txt");
    assert_eq!(n.agency.as_deref(), Some("青禾市司法局"));
    assert_eq!(n.date.as_deref(), Some("2025-03-10"));
    assert_eq!(
        tops(&n.headings),
        [
            "征求意见的时间",
            "提交意见的方式",
            "意见的处理",
            "总则",
            "服务内容"
        ]
    );
    let article = n
        .sections
        .iter()
        .find(|s| s.text.starts_with("第三条"))
        .expect("an article's section");
    assert_eq!(article.heading_path, ["服务内容", "第三条"]);
}

#[test]
fn issue13_a_yearly_report_is_the_body_or_place_its_title_names() {
    // a body's report of its own year, posted by the county's office
    let n = parse("yearly_report_body.txt");
    assert_eq!(n.agency.as_deref(), Some("青禾县交通运输局"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    // a town's: its name as the title prints it, nothing else naming it
    let n = parse("yearly_report_place.txt");
    assert_eq!(n.title, "禾川镇2022年政府信息公开工作年度报告");
    assert_eq!(n.agency.as_deref(), Some("禾川镇"));
    assert_eq!(n.agency_source.as_deref(), Some("title"));
    assert_eq!(n.date.as_deref(), Some("2023-03-20"));
}

#[test]
fn issue13_run_in_items_closed_by_a_semicolon_still_head_their_paragraphs() {
    // (一)…；(二)…。 under 一、 are one enumeration of who attends; under
    // 二、 each item runs its name on into its paragraph (现场观摩。上午…；)
    let n = parse("run_in_items_semicolon.txt");
    assert_eq!(
        tops(&n.headings),
        ["参会人员", "会议时间、地点", "其他事项"]
    );
    assert!(n.headings[0].children.is_empty(), "{:?}", n.headings[0]);
    assert_eq!(tops(&n.headings[1].children), ["现场观摩", "集中会议"]);
}

#[test]
fn issue13_a_forum_repost_salted_with_a_token_per_line() {
    let n = parse("jammer_tokens.txt");
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于2025年部分节假日安排的通知"
    );
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-12-01"));
    // no token is left in the text
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(!text.contains(['{', '}', '^', '~', '|', '#']), "{text}");
}

#[test]
fn issue13_a_news_item_credited_to_an_account_or_a_papers_reporter() {
    let n = parse("credit_account.txt");
    // `… (青禾巡察)`: the discipline body's own news account
    assert_eq!(n.agency.as_deref(), Some("青禾巡察"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
    // `(青禾日报全媒体记者 李某某)`: the reporter's paper
    let n = parse("credit_byline.txt");
    assert_eq!(n.agency.as_deref(), Some("青禾日报"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
}

#[test]
fn issue13_a_dateline_ending_in_xiaoxi_names_the_outlet() {
    let n = parse("dateline_message.txt");
    // `禾川网北京11月10日消息`
    assert_eq!(n.agency.as_deref(), Some("禾川网"));
    assert_eq!(n.agency_source.as_deref(), Some("dateline"));
}

#[test]
fn issue13_an_editors_intro_before_a_reprints_lead() {
    let n = parse("editor_intro_reprint.txt");
    // headline, an editor's words, the headline again, then the lead
    // quoting the notice with `全文如下`
    assert_eq!(
        n.title,
        "青禾县人民政府办公室关于2025年部分节假日安排的通知"
    );
    assert_eq!(n.title_source, "quoted");
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府办公室"));
    assert_eq!(n.date.as_deref(), Some("2024-12-01"));
    // the holiday list is no heading list
    assert!(n.headings.is_empty(), "{:?}", n.headings);
}

#[test]
fn issue13_a_mirrors_publication_date_years_after_the_signature() {
    let n = parse("reposted_signed.txt");
    // 发布时间 2018 over a notice numbered 〔2006〕 and signed 二OO六年:
    // the mirror posted an old notice again
    assert_eq!(n.title, "关于在全镇范围内实施野外禁火的紧急通知");
    assert_eq!(n.date.as_deref(), Some("2006-03-30"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
    // `文件编号` in the disclosure block is its number
    assert_eq!(n.doc_number.as_deref(), Some("禾府发[2006]5号"));
}

#[test]
fn issue13_an_unsigned_notice_dated_by_its_imprint() {
    let n = parse("imprint_date.txt");
    // no signature; the aggregator's stamp is months later than the
    // imprint `…办公室2017年5月27日印发`
    assert_eq!(n.date.as_deref(), Some("2017-05-27"));
    assert_eq!(n.date_source.as_deref(), Some("imprint"));
    assert_eq!(n.agency.as_deref(), Some("青禾县人民政府"));
}

#[test]
fn issue13_a_bracketed_number_under_a_broken_title_dates_nothing_later() {
    let n = parse("bracketed_number.txt");
    // `(青政[2001]85号)` under the title is its number, so the aggregator's
    // 2025 stamp is a re-post's, and the excerpt names no date of its own
    assert_eq!(n.doc_number.as_deref(), Some("青政[2001]85号"));
    assert_eq!(n.date, None, "{:?}", n.date_source);
    assert_eq!(n.agency.as_deref(), Some("青禾省人民政府"));
}

#[test]
fn issue13_a_report_delivered_by_the_head_of_a_body() {
    let n = parse("speaker_report.txt");
    // `县审计局局长   王某某` under the title and the occasion
    assert_eq!(n.agency.as_deref(), Some("县审计局"));
    assert_eq!(n.agency_source.as_deref(), Some("speaker"));
    assert_eq!(n.date.as_deref(), Some("2024-12-20"));
}

#[test]
fn issue13_a_page_opening_with_its_first_statement_has_no_title() {
    // `…分为…三个阶段。本届选民登记时间为…`: a sentence closed by its full
    // stop with more run on after it names no document
    let n = parse("statement_opening.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.title_source, "none");
    assert_eq!(n.agency.as_deref(), Some("禾川镇选举委员会"));
    assert_eq!(n.date.as_deref(), Some("2025-03-01"));
}

#[test]
fn issue13_an_e_papers_index_row_dates_its_story() {
    // the story names no date of its own; the paper's row under it
    // (`2025-03-19 禾川县委巡察组完成第三轮进驻 2 2 青禾日报 …`) does
    let n = parse("epaper_index_row.txt");
    assert_eq!(n.title, "禾川县委巡察组完成第三轮进驻");
    assert_eq!(n.date.as_deref(), Some("2025-03-19"));
    assert_eq!(n.date_source.as_deref(), Some("index"));
}

#[test]
fn issue13_provisions_after_headed_parts_are_no_headings() {
    // 一、二、三、 each head what is below them; 四、 is a provision whose
    // lead runs longer than any heading's, and 六、 closes the provisions
    let n = parse("headed_parts_then_provisions.txt");
    assert_eq!(
        tops(&n.headings),
        ["限制通行路段", "限制通行车型", "限制通行时间"]
    );
    // the provisions' text is still searchable, in sections of their own
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(text.contains("四、城区供水"), "{text}");
    assert!(text.contains("六、本通告自2025年5月1日起施行"), "{text}");
}

#[test]
fn issue13_a_clock_the_copy_left_empty_and_a_channel_menu_are_furniture() {
    // `禾川新闻网 今天是` (the date was a script's) and `展开频道 收起频道`
    // stand above the columns' names and the headline over its date
    let n = parse("clock_widget_headline.txt");
    assert_eq!(n.title, "十届县委第二轮巡察工作动员部署会召开");
    assert_eq!(n.date.as_deref(), Some("2025-03-12"));
}

#[test]
fn issue13_labels_over_their_values_on_the_next_lines() {
    // 发表日期: / 2025-04-08, 来源: / 青禾县纪委监委: the page's labels,
    // each value on the line below its label
    let n = parse("label_over_value_lines.txt");
    assert_eq!(n.date.as_deref(), Some("2025-04-08"));
    assert_eq!(n.date_source.as_deref(), Some("label:发表日期"));
    assert_eq!(n.source.as_deref(), Some("青禾县纪委监委"));
    assert_eq!(n.agency.as_deref(), Some("青禾县纪委监委"));
}

#[test]
fn issue13_a_signature_whose_year_was_lost_under_the_pages_own_lines() {
    // `青禾县综合行政执法局` over `年4月11日`, then the mirror's lines
    // (转载请注明地址:…, 上一篇文章:): the body signs; no date is made up
    let n = parse("yearless_signature_junk.txt");
    assert_eq!(n.agency.as_deref(), Some("青禾县综合行政执法局"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date, None);
}

#[test]
fn issue13_a_reprints_words_after_the_title_it_gives() {
    // `…的通知,全文如下:` on the title's own line
    let n = parse("reprint_title_full_text.txt");
    assert_eq!(
        n.title,
        "青禾市人民政府办公室关于2026年部分节假日安排的通知"
    );
}

#[test]
fn issue13_a_disclosure_reports_table_cites_provisions_it_is_not_a_law() {
    // the yearly report's table rows `第二十条第(一)项` cite the rules; the
    // report's own parts are its headings. `来自:某局 时间:…` are the page's
    // labels.
    let n = parse("disclosure_report_table.txt");
    assert_eq!(
        tops(&n.headings),
        [
            "总体情况",
            "主动公开政府信息情况",
            "存在的主要问题及改进情况"
        ]
    );
    assert_eq!(
        tops(&n.headings[0].children),
        ["主动公开情况", "依申请公开情况", "政府信息管理情况"]
    );
    assert!(
        n.sections
            .iter()
            .all(|s| !s.heading_path.iter().any(|h| h.starts_with("第二十条"))),
        "{:?}",
        n.sections
    );
    assert_eq!(n.date.as_deref(), Some("2026-01-15"));
    assert_eq!(n.source.as_deref(), Some("禾川市统计局"));
}

#[test]
fn issue13_an_item_worded_as_a_long_sentence_among_run_in_headings() {
    // 一、 and 三、 run a short name on into their paragraphs; 二、 is one
    // long sentence of clauses with its sibling right below: no heading
    let n = parse("long_sentence_item.txt");
    assert_eq!(
        tops(&n.headings),
        [
            "高度重视,切实加强组织领导",
            "严守值班制度,坚守岗位,灵通信息"
        ]
    );
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(text.contains("二、全力做好山洪灾害防御"), "{text}");
}

#[test]
fn issue13_a_copy_cut_at_its_first_numbered_heading_has_no_title() {
    // a yearly report pasted from its first part (`一、总体情况`) and a
    // rule pasted from its first chapter (`第一章 总则`): the heading heads
    // the text, it names no document
    let n = parse("report_cut_at_first_heading.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.title_source, "none");
    assert_eq!(tops(&n.headings), ["总体情况", "主动公开政府信息情况"]);
    let n = parse("rules_cut_at_first_chapter.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(tops(&n.headings), ["总则", "信息队伍"]);
}

#[test]
fn issue13_menus_above_a_breadcrumb_are_the_sites() {
    // `政务公开` / `政府动态` are the site's menu, above its breadcrumb; the
    // headline is below it, over a time line with a view counter whose
    // number was lost and the page's column (`次浏览 分类:政府动态`)
    let n = parse("menus_above_breadcrumb.txt");
    assert_eq!(n.title, "禾川区各部门开展冬季清雪行动");
    assert_eq!(n.date.as_deref(), Some("2024-01-08"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
}

#[test]
fn issue13_a_language_switch_address_plugin_prompt_and_glossed_column_are_chrome() {
    // `EN`, the site's address alone, a Flash player's prompt and a column
    // name glossed in English (`要闻动态Navigation`) stand above the headline
    let n = parse("gloss_and_plugin_chrome.txt");
    assert_eq!(n.title, "青禾县第二巡察组向县农业农村局党组反馈巡察情况");
    assert_eq!(n.agency.as_deref(), Some("青禾县委巡察办"));
    assert_eq!(n.date.as_deref(), Some("2025-07-15"));
}

#[test]
fn issue13_a_state_council_order_the_text_cites_is_not_its_issuer() {
    // `根据《事业单位人事管理条例》(国务院令第652号)…`: the order's number in
    // brackets after the law's name cites it; the notice names no issuer
    let n = parse("cited_state_council_order.txt");
    assert_eq!(n.title, "2025年禾川县部分事业单位公开招聘工作人员公告");
    assert_eq!(n.agency, None, "{:?}", n.agency_source);
}

#[test]
fn issue13_a_title_broken_over_two_lines_below_a_cover_note() {
    // the cover note's salutation, lines and date, then the document's
    // title in two lines (`…重大政策文件` / `解读制度`): both lines are the title
    let n = parse("broken_title_after_cover_note.txt");
    assert_eq!(n.title, "禾川县政府部门重大政策文件解读制度");
    assert_eq!(n.title_source, "lines");
}

#[test]
fn issue13_a_breadcrumb_that_lost_its_separators_and_a_session_that_met() {
    // `当前位置: 首页禾川快讯` is a breadcrumb by its label (the sub-sites'
    // menu above it is the site's); the headline's picture mark (`[图]`)
    // comes off; a people's congress session that met enacted nothing, so
    // it is no issuer of the story
    let n = parse("session_news_lost_separators.txt");
    assert_eq!(n.title, "禾川乡第九届人民代表大会第四次会议胜利召开");
    assert_eq!(n.agency, None, "{:?}", n.agency_source);
    assert_eq!(n.date.as_deref(), Some("2024-03-29"));
}

#[test]
fn issue13_a_numbered_sentence_with_nothing_under_it_is_no_heading() {
    // 一、 heads the lines under it; 二、 is one whole sentence with its
    // sibling right below, and 三、, the last, one whole sentence over
    // 特此通知: they head nothing, and their text stays in the notice
    let n = parse("bodyless_sentence_items.txt");
    assert_eq!(tops(&n.headings), ["出席和列席会议人员"]);
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(
        text.contains("三、各乡镇（街道）要为委员准时出席会议"),
        "{text}"
    );
}

#[test]
fn issue13_a_time_stamp_followed_by_the_outlet_that_posted_the_page() {
    // `2025-01-20 16:40   禾川市融媒体中心`: the stamp dates the page and
    // the name after it is its source (a news item: its author)
    let n = parse("stamp_with_outlet.txt");
    assert_eq!(n.title, "2025年春节假期安排出炉");
    assert_eq!(n.date.as_deref(), Some("2025-01-20"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
    assert_eq!(n.source.as_deref(), Some("禾川市融媒体中心"));
    assert_eq!(n.agency.as_deref(), Some("禾川市融媒体中心"));
}

#[test]
fn issue13_contents_numbered_otherwise_or_with_page_numbers_are_no_headings() {
    // the contents list `1、总则`, the text says `1. 总  则`: the text's
    // headings only, once each
    let n = parse("renumbered_contents.txt");
    assert_eq!(
        tops(&n.headings)
            .iter()
            .map(|t| t.replace(' ', ""))
            .collect::<Vec<_>>(),
        ["总则", "组织体系", "附则"]
    );
    // entries with a page number between dashes (`1 总则- 1 -`), the copy
    // cut before the text: no heading at all
    let n = parse("paged_contents.txt");
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
}

#[test]
fn issue13_a_closing_sentence_over_the_attachments_is_no_cross_head() {
    // `现将…予以通报（具体见附件）` lost its full stop; it is followed by the
    // attachments, not by text it heads
    let n = parse("closing_sentence_before_attachment.txt");
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
}

#[test]
fn issue13_a_column_named_after_the_documents_kind_comes_off_the_title() {
    // `应急预案—禾川市…总体应急预案`: the page's column, named after the kind
    // of document it lists, before a dash
    let n = parse("column_kind_prefix.txt");
    assert_eq!(n.title, "禾川市突发公共事件总体应急预案");
    assert_eq!(n.date.as_deref(), Some("2024-10-30"));
    assert_eq!(tops(&n.headings), ["总则", "组织体系"]);
}

#[test]
fn issue13_a_decimal_outline_cut_after_two_items_of_its_first_part() {
    // `1 总则` over `1.1 适用范围` and `1.2 工作原则`, the copy cut there:
    // the plan's outline, not the `（1）` principles under its second item
    let n = parse("decimal_outline_cut_short.txt");
    assert_eq!(tops(&n.headings), ["总则"]);
    assert_eq!(tops(&n.headings[0].children), ["适用范围", "工作原则"]);
}

#[test]
fn issue13_a_chapter_whose_name_the_page_lost() {
    // the contents list names the chapters; the text's chapter lines lost
    // their names (`第二章` alone): each takes the name listed
    let n = parse("nameless_chapters.txt");
    assert_eq!(tops(&n.headings), ["总则", "文明行为规范", "附则"]);
    // no contents list: a bare `第一章` heads nothing a reader can follow
    let n = parse("nameless_chapter_no_contents.txt");
    assert!(n.headings.is_empty(), "{:?}", tops(&n.headings));
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(text.contains("第三条 公文处理包括"), "{text}");
}

#[test]
fn issue13_a_notices_own_lead_under_its_salutation_leads_into_no_other_document() {
    // a copy with no title: the salutation, then `现将…有关事项通知如下：`
    // and the notice's own items — the rota under 二、 (`1月份 办公室`) is
    // no title of a document below
    let n = parse("own_lead_under_salutation.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.agency.as_deref(), Some("机关党委"));
    assert_eq!(n.date.as_deref(), Some("2025-12-29"));
}

#[test]
fn issue13_a_text_that_opens_with_a_whole_sentence_has_no_title() {
    // the copy starts with the notice's first statement, closed by its full
    // stop, and ends `特此通告` over the date: neither is a title
    let n = parse("sentence_without_title.txt");
    assert_eq!(n.title, "", "{:?}", n.title_source);
    assert_eq!(n.date.as_deref(), Some("2025-04-28"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_signature_date_with_a_table_rule_after_it() {
    // `2024年6月18日 |`: the cell's rule the copy kept says nothing
    let n = parse("signature_date_table_rule.txt");
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府办公室"));
    assert_eq!(n.agency_source.as_deref(), Some("signature"));
    assert_eq!(n.date.as_deref(), Some("2024-06-18"));
}

#[test]
fn issue13_a_time_stamp_followed_by_the_pages_column() {
    // `2025-02-10 09:21:47 社区招聘`: the column's name after the clock
    // takes nothing from the stamp's date, and is no source
    let n = parse("stamp_with_column.txt");
    assert_eq!(n.title, "2025年禾川市青禾街道社区公开招聘工作人员公告");
    assert_eq!(n.date.as_deref(), Some("2025-02-10"));
    assert_eq!(n.date_source.as_deref(), Some("timestamp"));
    assert_eq!(n.source, None);
    assert_eq!(tops(&n.headings), ["招聘对象", "报名办法"]);
}

#[test]
fn issue13_a_numbered_notice_flattened_onto_one_line() {
    // `某指挥部〔2025〕第2号通告为切实…。某指挥部2025年3月8日`: the number is
    // the title's core, and the signer runs on after the last sentence
    let n = parse("flattened_numbered_notice.txt");
    assert_eq!(n.title, "禾川市森林防火指挥部〔2025〕第2号通告");
    assert_eq!(n.agency.as_deref(), Some("禾川市森林防火指挥部"));
    assert_eq!(n.date.as_deref(), Some("2025-03-08"));
    assert_eq!(n.date_source.as_deref(), Some("signature"));
}

#[test]
fn issue13_a_headline_repeated_right_under_the_issuers_line() {
    // the page's headline, then the document's own header: the issuer's
    // line over the same title — the line names the issuer
    let n = parse("headline_over_issuer_and_title.txt");
    assert_eq!(n.title, "2024年政府信息公开工作年度报告");
    assert_eq!(n.agency.as_deref(), Some("禾川县青禾镇人民政府"));
    assert_eq!(n.agency_source.as_deref(), Some("above title"));
    assert_eq!(tops(&n.headings), ["总体情况", "主动公开政府信息情况"]);
}

#[test]
fn issue13_a_text_whose_lines_carry_the_pages_markup() {
    // a crawler kept the content's HTML on one line of the text: its
    // paragraphs are read as lines (the outline under the attached plan)
    let n = parse("markup_in_text.txt");
    assert_eq!(tops(&n.headings), ["指导思想", "总体目标"]);
    assert_eq!(n.agency.as_deref(), Some("禾川市人民政府"));
    assert_eq!(n.date.as_deref(), Some("2024-05-20"));
    let text: String = n.sections.iter().map(|s| s.text.as_str()).collect();
    assert!(!text.contains("<p"), "{text}");
    assert!(
        text.contains("城乡居民收入增长与经济增长基本同步"),
        "{text}"
    );
}

#[test]
fn issue13_a_source_that_names_no_one_is_no_agency() {
    // `来源:本地` (the site itself) and `来源:qhxc2025` (a poster's login)
    for name in ["source_local.txt", "source_login.txt"] {
        let n = parse(name);
        assert_eq!(n.agency, None, "{name}: {:?}", n.agency_source);
        assert!(n.date.is_some(), "{name}");
    }
}

#[test]
fn issue13_a_news_items_closing_byline_names_its_unit() {
    // `…整改到位。(县融媒体中心 李青)`: the unit, not its writer
    let n = parse("closing_byline.txt");
    assert_eq!(n.agency.as_deref(), Some("县融媒体中心"));
    assert_eq!(n.agency_source.as_deref(), Some("credit"));
    // the bodies in charge after a plan's last task sign nothing
    let n = parse("task_note_bodies.txt");
    assert_eq!(n.agency, None, "{:?}", n.agency_source);
}

#[test]
fn issue13_a_plans_figure_outline_flattened_onto_one_line() {
    // `1.总则 1.1编制目的 为…。 1.2编制依据 …`: each figure where a line
    // break was starts a part again, and the point after the top number
    // heads its decimal items
    let n = parse("flattened_figure_outline.txt");
    assert_eq!(n.title, "禾川镇防汛应急预案");
    assert_eq!(tops(&n.headings), ["总则", "组织体系"]);
    assert_eq!(
        tops(&n.headings[0].children),
        ["编制目的", "编制依据", "适用范围"]
    );
    assert_eq!(tops(&n.headings[1].children), ["镇防汛指挥部", "工作组"]);
}

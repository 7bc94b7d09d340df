//! Lists of common Chinese surnames and given names from which fictitious names are drawn.
//!
//! The combinations are random: any resemblance to a real person is a coincidence of common
//! names, not a record of one.
use rand::seq::SliceRandom;
use rand::Rng;

/// Common surnames, weighted towards those frequent in Guanzhong (central Shaanxi).
pub const SURNAMES: &[&str] = &[
    "王", "王", "李", "李", "张", "张", "刘", "刘", "杨", "杨", "赵", "赵", "陈", "郭", "马", "高",
    "孙", "周", "吴", "徐", "胡", "朱", "何", "罗", "梁", "宋", "郑", "谢", "韩", "冯", "董", "曹",
    "雷", "白", "任", "党", "薛", "贺", "田", "屈", "段", "姚", "石", "杜", "卢", "魏", "贾", "侯",
];

/// Given names of men born before 1965.
const MALE_OLD: &[&str] = &[
    "建国", "建军", "保平", "满仓", "新民", "福贵", "长顺", "有财", "振华", "德胜", "国庆", "志明",
    "宝山", "天福", "守成", "金锁", "忠义", "根生", "来福", "存良",
];
/// Given names of women born before 1965.
const FEMALE_OLD: &[&str] = &[
    "秀兰", "桂英", "秀英", "玉兰", "桂兰", "淑芬", "凤英", "翠兰", "秀珍", "春花", "玉梅", "彩霞",
    "金花", "素芳", "引弟", "粉叶", "巧云", "改琴", "秀芳", "月娥",
];
/// Given names of men born 1965–1994.
const MALE_MIDDLE: &[&str] = &[
    "伟", "磊", "军", "勇", "涛", "斌", "鹏", "波", "强", "刚", "海军", "志刚", "建平", "红军",
    "小龙", "亚军", "文斌", "少华", "宏伟", "晓东", "卫东", "永刚", "俊峰", "彦军",
];
/// Given names of women born 1965–1994.
const FEMALE_MIDDLE: &[&str] = &[
    "丽", "娟", "艳", "敏", "静", "霞", "燕", "芳", "丽娜", "小红", "红梅", "晓燕", "亚萍", "彩虹",
    "小娟", "丽萍", "春燕", "海燕", "雪梅", "利娟", "艳妮", "晓霞", "娟娟", "婷",
];
/// Given names of boys and young men born 1995 or later.
const MALE_YOUNG: &[&str] = &[
    "浩然", "子轩", "宇航", "梓豪", "俊杰", "博文", "一鸣", "浩宇", "子豪", "皓轩", "嘉乐", "明轩",
    "宇轩", "思远", "天佑", "睿泽", "梓睿", "奕辰", "铭泽", "家豪",
];
/// Given names of girls and young women born 1995 or later.
const FEMALE_YOUNG: &[&str] = &[
    "欣怡", "诗涵", "雨桐", "梓涵", "可欣", "思雨", "佳怡", "雨萱", "若汐", "一诺", "欣妍", "梓萱",
    "语桐", "佳琪", "沐晨", "紫涵", "婉清", "思琪", "雅琪", "心怡",
];

/// A random common surname.
pub fn surname<R: Rng>(rng: &mut R) -> &'static str {
    SURNAMES.choose(rng).copied().unwrap_or("王")
}

/// A random given name fitting the person's sex and generation.
pub fn given_name<R: Rng>(rng: &mut R, male: bool, birth_year: i32) -> &'static str {
    let list = match (male, birth_year) {
        (true, ..=1964) => MALE_OLD,
        (false, ..=1964) => FEMALE_OLD,
        (true, 1965..=1994) => MALE_MIDDLE,
        (false, 1965..=1994) => FEMALE_MIDDLE,
        (true, _) => MALE_YOUNG,
        (false, _) => FEMALE_YOUNG,
    };
    list.choose(rng).copied().unwrap_or("明")
}

//! Why a workbook could not be read.

use crate::model::Format;

/// Why a workbook could not be read. The messages say what is wrong and
/// what a person can do about it; the caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// The workbook is encrypted with a password.
    #[error(
        "the workbook is protected with a password (encrypted), so it cannot be read; \
         save a copy without the password (in Excel: File > Info > Protect Workbook > \
         Encrypt with Password, clear the password) and import that copy"
    )]
    Password,
    /// The file ends before the end of its zip archive.
    #[error(
        "the {format} workbook is incomplete: its {size} bytes stop before the end of the \
         workbook, so it was probably cut short while downloading or copying; get the \
         complete file and import it again"
    )]
    Truncated {
        /// The format expected.
        format: Format,
        /// The file's size in bytes.
        size: usize,
    },
    /// The file is not a workbook at all.
    #[error(
        "the file is not an {format} workbook: {found}; if it is a text export, give it a \
         .txt, .tsv or .csv name; otherwise open it in Excel or LibreOffice and save it \
         as .xlsx"
    )]
    NotAWorkbook {
        /// The format its name promises.
        format: Format,
        /// What the bytes look like.
        found: String,
    },
    /// The workbook's structure is damaged.
    #[error(
        "the {format} workbook is damaged and cannot be read ({detail}); open it in Excel or \
         LibreOffice, save it again and import the saved copy"
    )]
    Corrupt {
        /// The format read.
        format: Format,
        /// What the reader reported.
        detail: String,
    },
    /// One worksheet is damaged.
    #[error(
        "worksheet `{worksheet}` is damaged and cannot be read ({detail}); open the workbook \
         in Excel or LibreOffice, save it again and import the saved copy"
    )]
    Worksheet {
        /// The worksheet's name.
        worksheet: String,
        /// What the reader reported.
        detail: String,
    },
    /// A worksheet has more rows than allowed.
    #[error(
        "worksheet `{worksheet}` uses more than {limit} rows; raise --max-rows if the \
         workbook is genuine"
    )]
    TooManyRows {
        /// The worksheet's name.
        worksheet: String,
        /// The limit.
        limit: usize,
    },
    /// A worksheet spans more cells than allowed.
    #[error(
        "worksheet `{worksheet}` spans at least {found} cells, more than the limit of {limit} \
         (values far apart, such as one in a far-right column on many rows, or rows repeated \
         many times); delete the stray cells and save again, or raise --max-cells if the \
         workbook is genuine"
    )]
    TooManyCells {
        /// The worksheet's name.
        worksheet: String,
        /// How many cells it spans, at least.
        found: u64,
        /// The limit.
        limit: usize,
    },
    /// A zip workbook unpacks to more bytes than allowed.
    #[error(
        "the {format} workbook would unpack to {size} bytes, more than the limit of {limit} \
         (a zip bomb, or a huge workbook); raise --max-uncompressed-bytes if it is genuine"
    )]
    Unpacked {
        /// The format read.
        format: Format,
        /// The total size its parts declare, unpacked.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// One part of a zip workbook is compressed far more than spreadsheet
    /// programs compress.
    #[error(
        "part `{part}` of the {format} workbook unpacks from {packed} to {size} bytes, a \
         compression ratio of at least {limit}:1 that spreadsheet programs never reach (a zip \
         bomb?); raise --max-compression-ratio if the workbook is genuine"
    )]
    CompressionRatio {
        /// The format read.
        format: Format,
        /// The part's name in the archive.
        part: String,
        /// Its declared size, unpacked.
        size: u64,
        /// Its size in the archive.
        packed: u64,
        /// The limit.
        limit: u64,
    },
    /// A cell holds more text than allowed.
    #[error(
        "cell {cell} holds {len} bytes, more than the limit of {limit}; raise \
         --max-cell-bytes if the workbook is genuine"
    )]
    CellTooLong {
        /// The cell, as `施策2!E14`.
        cell: String,
        /// The cell's length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

impl WorkbookError {
    /// The message in Japanese: what is wrong with the workbook and what to do, as `Display` says in English.
    ///
    /// ```
    /// let e = hyoka::WorkbookError::Password;
    /// assert!(e.message_ja().contains("パスワード"));
    /// ```
    pub fn message_ja(&self) -> String {
        match self {
            Self::Password => "ブックがパスワードで保護(暗号化)されているため読めません。\
                 パスワードを外したコピーを保存し(Excel: ファイル > 情報 > ブックの保護 > \
                 パスワードを使用して暗号化 でパスワードを消去)、そのコピーを取り込んでください"
                .into(),
            Self::Truncated { format, size } => format!(
                "{format} ブックが不完全です: {size} バイトでブックの終わりの前に途切れています。\
                 ダウンロードやコピーの途中で切れた可能性があります。完全なファイルを入手して取り込み直してください"
            ),
            Self::NotAWorkbook { format, found } => format!(
                "このファイルは {format} ブックではありません({found})。テキスト出力であれば .txt .tsv .csv の名前を付け、\
                 そうでなければ Excel か LibreOffice で開いて .xlsx で保存してください"
            ),
            Self::Corrupt { format, detail } => format!(
                "{format} ブックが壊れていて読めません({detail})。Excel か LibreOffice で開いて保存し直し、\
                 保存したコピーを取り込んでください"
            ),
            Self::Worksheet { worksheet, detail } => format!(
                "ワークシート `{worksheet}` が壊れていて読めません({detail})。Excel か LibreOffice で開いて\
                 保存し直し、保存したコピーを取り込んでください"
            ),
            Self::TooManyRows { worksheet, limit } => format!(
                "ワークシート `{worksheet}` の行数が上限 {limit} を超えています。正しいブックなら --max-rows で上限を上げてください"
            ),
            Self::TooManyCells {
                worksheet,
                found,
                limit,
            } => format!(
                "ワークシート `{worksheet}` は少なくとも {found} セルにわたり、上限 {limit} を超えています\
                 (離れた位置の値や、何度も繰り返された行)。不要なセルを消して保存し直すか、\
                 正しいブックなら --max-cells で上限を上げてください"
            ),
            Self::Unpacked {
                format,
                size,
                limit,
            } => format!(
                "{format} ブックを展開すると {size} バイトになり、上限 {limit} を超えます(zip 爆弾か巨大なブック)。\
                 正しいブックなら --max-uncompressed-bytes で上限を上げてください"
            ),
            Self::CompressionRatio {
                format,
                part,
                size,
                packed,
                limit,
            } => format!(
                "{format} ブックの部品 `{part}` は {packed} バイトから {size} バイトに展開され、圧縮率が \
                 {limit}:1 以上です。表計算ソフトではありえない値です(zip 爆弾?)。\
                 正しいブックなら --max-compression-ratio で上限を上げてください"
            ),
            Self::CellTooLong { cell, len, limit } => format!(
                "セル {cell} が {len} バイトで、上限 {limit} バイトを超えています。正しいブックなら --max-cell-bytes で上限を上げてください"
            ),
        }
    }
}

//! Is this answer the answer to that request? A result file echoes its
//! request: the facility, the client's `ArbitraryFileIdentifier`, the day asked
//! for and (for a 記号・番号 request) the search keys in
//! `QualificationConfirmSearchInfo`. A file that echoes anything else is for
//! another request — on a shared folder, possibly another patient's — and is
//! refused, naming the element that differs (never its value).

use super::codes::ReferenceClassification;
use super::request_file::{EligibilityRequest, SearchInfo};
use super::result_file::ResultFile;

/// The answer does not echo its request: `element` differs or is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the answer's <{element}> does not echo the request's: not the answer to this request")]
pub struct EchoMismatch {
    /// The element that differs or is missing.
    pub element: &'static str,
}

impl EchoMismatch {
    /// A stable machine-readable code: `"eligibility.echo_mismatch"`.
    pub fn code(&self) -> &'static str {
        "eligibility.echo_mismatch"
    }
}

fn same<T: PartialEq>(a: &T, b: &T, element: &'static str) -> Result<(), EchoMismatch> {
    if a == b {
        Ok(())
    } else {
        Err(EchoMismatch { element })
    }
}

fn same_search(asked: &SearchInfo, echoed: &SearchInfo) -> Result<(), EchoMismatch> {
    same(
        &asked.insurer_number,
        &echoed.insurer_number,
        "InsurerNumber",
    )?;
    same(
        &asked.insured_card_symbol,
        &echoed.insured_card_symbol,
        "InsuredCardSymbol",
    )?;
    same(
        &asked.insured_identification_number,
        &echoed.insured_identification_number,
        "InsuredIdentificationNumber",
    )?;
    same(
        &asked.insured_branch_number,
        &echoed.insured_branch_number,
        "InsuredBranchNumber",
    )?;
    same(&asked.birthdate, &echoed.birthdate, "Birthdate")?;
    same(
        &asked.arbitrary_identifier,
        &echoed.arbitrary_identifier,
        "ArbitraryIdentifier",
    )
}

impl ResultFile {
    /// Checks that this file answers `request`: same 医療機関コード, the same
    /// `ArbitraryFileIdentifier` (present in both or in neither), 照会区分 2
    /// when given, the same 資格確認日 when both carry one, and — when the body
    /// carries a result — the search keys echoed (保険者番号, 記号, 番号, 枝番,
    /// 生年月日, `ArbitraryIdentifier`). An error answer with no body is
    /// checked on its header only.
    ///
    /// Give every request a unique `ArbitraryFileIdentifier` (e.g. its
    /// [`RequestName::suffix`](crate::terminal::RequestName::suffix)): two
    /// requests for one patient are then told apart too.
    pub fn check_answers(&self, request: &EligibilityRequest) -> Result<(), EchoMismatch> {
        let h = &self.header;
        same(
            &h.medical_institution_code,
            &request.medical_institution_code,
            "MedicalInstitutionCode",
        )?;
        same(
            &h.arbitrary_file_identifier,
            &request.arbitrary_file_identifier,
            "ArbitraryFileIdentifier",
        )?;
        if h.reference_classification
            .as_ref()
            .is_some_and(|c| *c != ReferenceClassification::InsuranceCardInfo)
        {
            return Err(EchoMismatch {
                element: "ReferenceClassification",
            });
        }
        if let (Some(asked), Some(answered)) = (
            request.qualification_confirmation_date,
            h.qualification_confirmation_date,
        ) {
            same(&asked, &answered, "QualificationConfirmationDate")?;
        }
        let Some(body) = &self.body else {
            return Ok(());
        };
        let carries_result = !body.results.is_empty()
            || body.qualification_validity.is_some()
            || !body.bulk_units.is_empty();
        match &body.search {
            Some(echoed) => same_search(&request.search, echoed),
            None if carries_result => Err(EchoMismatch {
                element: "QualificationConfirmSearchInfo",
            }),
            None => Ok(()),
        }
    }
}

#[cfg(feature = "serde")]
crate::error_report::serialize_coded!(EchoMismatch);

//! Prints the seed's January usage table (オンライン資格確認の利用状況) for
//! generated confirmations: checks by facility type and method, views by type,
//! and the ratios.
//!
//! ```text
//! cargo run --example usage_stats [-- N]
//! ```
//!
//! The data are generated (a fixed-seed generator, proportions near the
//! seed's January figures); they are not real statistics.

use mynacard::eligibility::{
    Confirmation, FacilityKind, MonthlyUsage, VerificationMethod, ViewsUsed, usage_rate,
};

/// A small fixed-seed generator (xorshift64*), enough for demo data.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

fn generate(n: usize) -> Vec<Confirmation> {
    let mut g = Gen(0x6d79_6e61_6361_7264);
    // Facility mix and マイナ保険証 share per facility, near the seed's January.
    let mix = [
        (FacilityKind::Hospital, 124, 656),
        (FacilityKind::MedicalClinic, 405, 679),
        (FacilityKind::DentalClinic, 123, 680),
        (FacilityKind::Pharmacy, 348, 593),
    ];
    (0..n)
        .map(|_| {
            let mut pick = g.next() % 1000;
            let mut chosen = mix[0];
            for m in mix {
                if pick < m.1 {
                    chosen = m;
                    break;
                }
                pick -= m.1;
            }
            let (facility, _, card_share) = chosen;
            let method = if g.chance(card_share) {
                if g.chance(40) {
                    VerificationMethod::Smartphone
                } else {
                    VerificationMethod::Card
                }
            } else {
                VerificationMethod::InsuranceIdentifiers
            };
            let myna = method.is_myna_hokensho();
            Confirmation {
                facility,
                method,
                views: ViewsUsed {
                    health_checkups: myna && g.chance(365),
                    medication: myna && g.chance(275),
                    clinical: myna && g.chance(747),
                },
            }
        })
        .collect()
}

fn n(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    let count = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let usage = MonthlyUsage::tally(&generate(count));
    println!(
        "【1月分実績の内訳】 (generated data, {} confirmations)",
        n(count as u64)
    );
    println!();
    println!(
        "{:<8}\t{:>12}\t{:>18}\t{:>12}\t{:>12}",
        "", "合計 (人)", "マイナンバーカード (人)", "うちスマホ", "資格確認書 (人)"
    );
    let rows = FacilityKind::ALL
        .iter()
        .map(|k| (k.label(), usage.row(*k)))
        .chain([("総計", usage.total())]);
    for (label, r) in rows.clone() {
        println!(
            "{label:<8}\t{:>12}\t{:>18}\t{:>12}\t{:>12}",
            n(r.total),
            n(r.myna_card),
            n(r.smartphone),
            n(r.certificate)
        );
    }
    println!();
    println!(
        "{:<8}\t{:>16}\t{:>12}\t{:>12}",
        "", "特定健診等情報 (件)", "薬剤情報 (件)", "診療情報 (件)"
    );
    for (label, r) in rows {
        println!(
            "{label:<8}\t{:>16}\t{:>12}\t{:>12}",
            n(r.health_checkup_views),
            n(r.medication_views),
            n(r.clinical_views)
        );
    }
    println!();
    let total = usage.total();
    if let Some(share) = total.card_share() {
        println!(
            "受診時のマイナ保険証利用件数割合 = {} / {} = {:.1}%",
            n(share.numerator),
            n(share.denominator),
            share.percent()
        );
    }
    // レセプト件数 comes from the receipt system; here, generated as 1.45 per check.
    let receipts = total.total * 145 / 100;
    if let Some(rate) = usage_rate(total.myna_card, receipts) {
        println!(
            "利用率 = マイナ保険証利用人数 / レセプト件数 = {} / {} = {:.1}%",
            n(rate.numerator),
            n(rate.denominator),
            rate.percent()
        );
    }
}

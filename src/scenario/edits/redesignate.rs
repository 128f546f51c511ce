//! `redesignate`: a prison's CPAs, function, estates or categories changed.

use super::{At, Editor};
use crate::domain::{Category, CpaId, Designation, DesignationSource, Estate, Function};

impl Editor<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn redesignate(
        &mut self,
        at: At,
        code: &str,
        add: &[String],
        remove: &[String],
        function: Option<&str>,
        estates: Option<&[String]>,
        categories: Option<&[String]>,
    ) -> Option<String> {
        let prison = self.prison(at, code)?;
        if add.is_empty()
            && remove.is_empty()
            && function.is_none()
            && estates.is_none()
            && categories.is_none()
        {
            self.error(
                at,
                "changes nothing: give add, remove, function, estates or categories",
            );
            return None;
        }
        let errors_before = self.errors.len();
        let pcode = self.prisons[prison].code.clone();
        let serves = |designations: &[Designation], cpa: &CpaId| {
            designations
                .iter()
                .any(|d| d.prison == pcode && &d.cpa == cpa)
        };
        let mut added = Vec::new();
        for id in add {
            let Some(cpa) = self.cpa(at, "add", id) else {
                continue;
            };
            if serves(&self.designations, &cpa) || added.contains(&cpa) {
                self.error(at, format!("add: '{code}' already serves CPA '{id}'"));
            } else {
                added.push(cpa);
            }
        }
        let mut removed = Vec::new();
        for id in remove {
            let Some(cpa) = self.cpa(at, "remove", id) else {
                continue;
            };
            if !serves(&self.designations, &cpa) || removed.contains(&cpa) {
                self.error(at, format!("remove: '{code}' does not serve CPA '{id}'"));
            } else if added.contains(&cpa) {
                self.error(at, format!("CPA '{id}' is both added and removed"));
            } else {
                removed.push(cpa);
            }
        }
        let function = function
            .and_then(|f| self.word(at, "function", f, Function::parse, Function::expected));
        let estates =
            estates.and_then(|e| self.words(at, "estates", e, Estate::parse, Estate::expected));
        let categories = categories
            .and_then(|c| self.words(at, "categories", c, Category::parse, Category::expected));
        if self.errors.len() > errors_before {
            return None;
        }
        if at.week > 0 {
            self.warn(
                at,
                format!(
                    "dated {} (week {}), but designations, function, estates and categories cannot vary by week in the model: applied to the whole horizon",
                    self.date(at.week),
                    at.week
                ),
            );
        }
        let mut effect = Vec::new();
        self.designations
            .retain(|d| !(d.prison == pcode && removed.contains(&d.cpa)));
        for cpa in &added {
            self.designations.push(Designation {
                prison: pcode.clone(),
                cpa: cpa.clone(),
                source: DesignationSource::Rule,
            });
        }
        let list = |cpas: &[CpaId]| {
            cpas.iter()
                .map(CpaId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !added.is_empty() {
            effect.push(format!("serves {} too", list(&added)));
        }
        if !removed.is_empty() {
            effect.push(format!("no longer serves {}", list(&removed)));
        }
        let p = &mut self.prisons[prison];
        if let Some(function) = function {
            effect.push(format!("function {} to {function}", p.function));
            p.function = function;
        }
        if let Some(estates) = estates {
            let words: Vec<&str> = estates.iter().map(|e| e.as_str()).collect();
            effect.push(format!("estates {}", words.join(";")));
            p.estates = estates;
        }
        if let Some(categories) = categories {
            let words: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
            effect.push(format!("categories {}", words.join(";")));
            p.categories = categories;
        }
        Some(format!(
            "{} (whole horizon): {}",
            self.name(prison),
            effect.join("; ")
        ))
    }
}

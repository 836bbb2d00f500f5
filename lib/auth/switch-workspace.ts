"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { notFound } from "@/lib/errors";
import { WORKSPACE_COOKIE } from "./request";
import { secureCookies } from "./secret";
import { requireMember } from "./session";

const Slug = z.string().min(1).max(63);

/** Server action: makes `slug` the current workspace (cookie `tl_ws`) if the signed-in user is a member of it. */
export async function switchWorkspace(slug: string): Promise<{ slug: string }> {
  const wanted = Slug.parse(slug);
  const member = await requireMember();
  if (!member.workspaces.some((w) => w.slug === wanted)) throw notFound(`workspace '${wanted}' not found`);
  (await cookies()).set(WORKSPACE_COOKIE, wanted, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
  return { slug: wanted };
}

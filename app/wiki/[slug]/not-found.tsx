import { CreateThisPage, DeletedPageTools } from "./create-this-page";

export default function PageNotFound() {
  return (
    <div className="not-found">
      <h1>There is no page with this title</h1>
      <p>Propagate does not have this page, or it was deleted. You can search for it, or start it.</p>
      <CreateThisPage />
      <DeletedPageTools />
    </div>
  );
}
